import type { WithClause } from './cte.js';
import type { TableNode } from './identifier.js';
import { freeze, type Node } from './node.js';

/** `DELETE FROM t [USING …] [WHERE …] [RETURNING …]`. */
export interface DeleteNode {
  readonly kind: 'delete';
  readonly with?: WithClause | undefined;
  readonly table: TableNode;
  readonly using: readonly Node[];
  readonly where?: Node | undefined;
  readonly returning: readonly Node[];
}

/**
 * A DELETE statement.
 * @example deleteStatement({ table: table('t'), where: binary(column('id'), '=', value(3)) }) // DELETE FROM "t" WHERE "id" = $1
 */
export function deleteStatement(
  parts: Omit<DeleteNode, 'kind' | 'using' | 'returning'> & { readonly using?: readonly Node[] | undefined; readonly returning?: readonly Node[] | undefined },
): DeleteNode {
  return freeze({ kind: 'delete', with: parts.with, table: parts.table, using: parts.using ?? [], where: parts.where, returning: parts.returning ?? [] });
}
