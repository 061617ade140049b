import { freeze, type Node } from './node.js';

export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'cross';

/** `INNER JOIN target ON condition`. */
export interface JoinNode {
  readonly kind: 'join';
  readonly type: JoinType;
  readonly target: Node;
  readonly on?: Node | undefined;
  readonly lateral?: boolean | undefined;
}

export function join(type: JoinType, target: Node, on?: Node, lateral?: boolean): JoinNode {
  return freeze({ kind: 'join', type, target, on, lateral });
}
