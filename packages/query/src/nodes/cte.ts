import type { QueryNode } from './node.js';

/** One common table expression: `"name"("c1", …) AS [NOT] MATERIALIZED (query)`. */
export interface CteSpec {
  readonly name: string;
  readonly columns?: readonly string[] | undefined;
  readonly query: QueryNode;
  readonly materialized?: boolean | undefined;
}

/** `WITH [RECURSIVE] cte, …` in front of any statement. */
export interface WithClause {
  readonly recursive: boolean;
  readonly ctes: readonly CteSpec[];
}

/**
 * A WITH clause; RECURSIVE when `recursive`.
 * @example withClause(false, [{ name: 'top', query }]) // WITH "top" AS (…)
 */
export function withClause(recursive: boolean, ctes: readonly CteSpec[]): WithClause {
  return Object.freeze({ recursive: recursive === true, ctes: Object.freeze(ctes.map((c) => Object.freeze({ ...c }))) });
}
