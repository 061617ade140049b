import type { WithClause } from './cte.js';
import type { TableNode } from './identifier.js';
import type { Node } from './node.js';

/** `UPDATE t SET c = expr, … [FROM …] [WHERE …] [RETURNING …]`. */
export interface UpdateNode {
  readonly kind: 'update';
  readonly with?: WithClause | undefined;
  readonly table: TableNode;
  readonly set: readonly (readonly [string, Node])[];
  readonly from: readonly Node[];
  readonly where?: Node | undefined;
  readonly returning: readonly Node[];
}
