import type { WithClause } from './cte.js';
import { freeze, type Node } from './node.js';
import type { OrderByNode } from './order-by.js';

export type SetOperator = 'UNION' | 'UNION ALL' | 'INTERSECT' | 'INTERSECT ALL' | 'EXCEPT' | 'EXCEPT ALL';

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

export function compound(left: Node, op: SetOperator, right: Node): CompoundSelectNode {
  return freeze({ kind: 'compound', op, left, right, orderBy: [] });
}
