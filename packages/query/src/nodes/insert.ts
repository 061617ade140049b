import type { WithClause } from './cte.js';
import type { TableNode } from './identifier.js';
import type { Node } from './node.js';

/** `ON CONFLICT (target) [WHERE …] DO NOTHING | DO UPDATE SET … [WHERE …]`. */
export interface OnConflictClause {
  readonly target?: readonly Node[] | undefined;
  readonly constraint?: string | undefined;
  readonly targetWhere?: Node | undefined;
  readonly action: 'nothing' | 'update';
  readonly set?: readonly (readonly [string, Node])[] | undefined;
  readonly where?: Node | undefined;
}

/** `INSERT INTO t (cols) VALUES (…), (…) | query [ON CONFLICT …] [RETURNING …]`. */
export interface InsertNode {
  readonly kind: 'insert';
  readonly with?: WithClause | undefined;
  readonly table: TableNode;
  readonly columns: readonly string[];
  /** Rows of value nodes, or a query whose result is inserted. Empty rows mean `DEFAULT VALUES`. */
  readonly values: readonly (readonly Node[])[] | Node;
  readonly onConflict?: OnConflictClause | undefined;
  readonly returning: readonly Node[];
}
