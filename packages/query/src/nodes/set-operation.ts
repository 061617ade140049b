import type { WithClause } from './cte.js';
import { oneOf, SET_OPERATORS } from './keywords.js';
import { freeze, type Node } from './node.js';
import type { OrderByNode } from './order-by.js';

export type SetOperator = (typeof SET_OPERATORS)[number];

/** `(left) UNION (right) ORDER BY … LIMIT …`. */
export interface CompoundSelectNode {
  readonly kind: 'compound';
  readonly with?: WithClause | undefined;
  readonly op: SetOperator;
  readonly left: Node;
  readonly right: Node;
  readonly orderBy: readonly OrderByNode[];
  readonly limit?: Node | undefined;
  readonly offset?: Node | undefined;
}

/**
 * `(left) op (right)`.
 * @example compound(a, 'UNION ALL', b) // (SELECT …) UNION ALL (SELECT …)
 */
export function compound(left: Node, op: SetOperator, right: Node): CompoundSelectNode {
  return freeze({ kind: 'compound', op: oneOf('set operator', op, SET_OPERATORS), left, right, orderBy: [] });
}
