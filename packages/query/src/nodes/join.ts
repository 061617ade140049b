import { JOIN_TYPES, oneOf } from './keywords.js';
import { freeze, type Node } from './node.js';

export type JoinType = (typeof JOIN_TYPES)[number];

/** `INNER JOIN target ON condition`. */
export interface JoinNode {
  readonly kind: 'join';
  readonly type: JoinType;
  readonly target: Node;
  readonly on?: Node | undefined;
  readonly lateral?: boolean | undefined;
}

/**
 * A join of `target`; `type` is checked against the join types.
 * @example join('left', table('users'), on) // LEFT OUTER JOIN "users" ON …
 */
export function join(type: JoinType, target: Node, on?: Node, lateral?: boolean): JoinNode {
  return freeze({ kind: 'join', type: oneOf('join type', type, JOIN_TYPES), target, on, lateral: lateral === true });
}
