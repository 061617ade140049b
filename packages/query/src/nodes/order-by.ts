import { DIRECTIONS, NULLS_ORDERINGS, oneOf } from './keywords.js';
import { freeze, type Node } from './node.js';

/** `expr ASC|DESC [NULLS FIRST|LAST]`. */
export interface OrderByNode {
  readonly kind: 'orderBy';
  readonly expr: Node;
  readonly direction?: 'ASC' | 'DESC' | undefined;
  readonly nulls?: 'FIRST' | 'LAST' | undefined;
}

/**
 * An ORDER BY item; direction and NULLS ordering are checked against their lists.
 * @example orderBy(column('age'), 'DESC', 'LAST') // "age" DESC NULLS LAST
 */
export function orderBy(expr: Node, direction?: 'ASC' | 'DESC', nulls?: 'FIRST' | 'LAST'): OrderByNode {
  return freeze({
    kind: 'orderBy',
    expr,
    direction: direction === undefined ? undefined : oneOf('order direction', direction, DIRECTIONS),
    nulls: nulls === undefined ? undefined : oneOf('NULLS ordering', nulls, NULLS_ORDERINGS),
  });
}
