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

export function alias(expr: Node, name: string, columns?: readonly string[]): AliasNode {
  return freeze(columns?.length ? { kind: 'alias', expr, alias: name, columns: Object.freeze([...columns]) } : { kind: 'alias', expr, alias: name });
}

export function cast(expr: Node, type: string): CastNode {
  if (!/^[A-Za-z_][A-Za-z0-9_ ]*(\(\s*\d+(\s*,\s*\d+)?\s*\))?(\[\])*$/.test(type)) {
    throw new TypeError(`cast(): "${type}" is not a PostgreSQL type name (expected e.g. "integer", "varchar(20)", "text[]")`);
  }
  return freeze({ kind: 'cast', expr, type });
}
