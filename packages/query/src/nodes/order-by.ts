import { freeze, type Node } from './node.js';

/** `expr ASC|DESC [NULLS FIRST|LAST]`. */
export interface OrderByNode {
  readonly kind: 'orderBy';
  readonly expr: Node;
  readonly direction?: 'ASC' | 'DESC' | undefined;
  readonly nulls?: 'FIRST' | 'LAST' | undefined;
}

export function orderBy(expr: Node, direction?: 'ASC' | 'DESC', nulls?: 'FIRST' | 'LAST'): OrderByNode {
  return freeze({ kind: 'orderBy', expr, direction, nulls });
}
