import type { WithClause } from './cte.js';
import type { TableNode } from './identifier.js';
import { freeze, type Node } from './node.js';

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

/**
 * An UPDATE statement.
 * @example updateStatement({ table: table('t'), set: [['n', value(1)]] }) // UPDATE "t" SET "n" = $1
 */
export function updateStatement(
  parts: Omit<UpdateNode, 'kind' | 'from' | 'returning'> & { readonly from?: readonly Node[] | undefined; readonly returning?: readonly Node[] | undefined },
): UpdateNode {
  if (parts.set.length === 0) throw new TypeError('UPDATE: nothing to set');
  return freeze({
    kind: 'update',
    with: parts.with,
    table: parts.table,
    set: parts.set,
    from: parts.from ?? [],
    where: parts.where,
    returning: parts.returning ?? [],
  });
}
