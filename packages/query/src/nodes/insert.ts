import type { WithClause } from './cte.js';
import type { TableNode } from './identifier.js';
import { CONFLICT_ACTIONS, oneOf } from './keywords.js';
import { freeze, type Node } from './node.js';

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

/**
 * An ON CONFLICT clause; `action` is checked against `nothing` / `update`.
 * @example onConflictClause({ target: [column('name')], action: 'nothing' }) // ON CONFLICT ("name") DO NOTHING
 */
export function onConflictClause(clause: OnConflictClause): OnConflictClause {
  oneOf('onConflict action', clause.action, CONFLICT_ACTIONS);
  return Object.freeze({ ...clause });
}

/**
 * An INSERT statement.
 * @example insertStatement({ table: table('users'), columns: ['name'], values: [[value('a')]] }) // INSERT INTO "users" ("name") VALUES ($1)
 */
export function insertStatement(parts: Omit<InsertNode, 'kind' | 'returning'> & { readonly returning?: readonly Node[] | undefined }): InsertNode {
  return freeze({
    kind: 'insert',
    with: parts.with,
    table: parts.table,
    columns: parts.columns,
    values: parts.values,
    onConflict: parts.onConflict === undefined ? undefined : onConflictClause(parts.onConflict),
    returning: parts.returning ?? [],
  });
}
