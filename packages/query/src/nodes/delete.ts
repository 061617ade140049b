import type { WithClause } from './cte.js';
import type { TableNode } from './identifier.js';
import type { Node } from './node.js';

/** `DELETE FROM t [USING …] [WHERE …] [RETURNING …]`. */
export interface DeleteNode {
  readonly kind: 'delete';
  readonly with?: WithClause | undefined;
  readonly table: TableNode;
  readonly using: readonly Node[];
  readonly where?: Node | undefined;
  readonly returning: readonly Node[];
}
