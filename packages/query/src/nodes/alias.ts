import { checkTypeName } from './keywords.js';
import { freeze, type Node } from './node.js';

/** `expr AS "alias"`. */
export interface AliasNode {
  readonly kind: 'alias';
  readonly expr: Node;
  readonly alias: string;
  /** Column names of a derived table: `(SELECT …) AS "sub"("a", "b")`; only meaningful in FROM. */
  readonly columns?: readonly string[] | undefined;
}

/** `CAST(expr AS type)`; `type` is a PostgreSQL type name written by the developer. */
export interface CastNode {
  readonly kind: 'cast';
  readonly expr: Node;
  readonly type: string;
}

/**
 * `expr AS "name"`; the name is a quoted identifier.
 * @example alias(fn('count', [star()]), 'n') // count(*) AS "n"
 */
export function alias(expr: Node, name: string, columns?: readonly string[]): AliasNode {
  return freeze(columns?.length ? { kind: 'alias', expr, alias: name, columns: Object.freeze([...columns]) } : { kind: 'alias', expr, alias: name });
}

/**
 * `CAST(expr AS type)`; `type` must look like a PostgreSQL type name.
 * @example cast(column('id'), 'text') // CAST("id" AS text)
 */
export function cast(expr: Node, type: string): CastNode {
  return freeze({ kind: 'cast', expr, type: checkTypeName('cast()', type) });
}
