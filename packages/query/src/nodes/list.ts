import { freeze, type Node } from './node.js';

/** A parenthesised, comma-separated list: `($1, $2, $3)`. */
export interface ListNode {
  readonly kind: 'list';
  readonly items: readonly Node[];
}

export function list(items: readonly Node[]): ListNode {
  return freeze({ kind: 'list', items: Object.freeze([...items]) });
}
