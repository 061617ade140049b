import { freeze, type Node } from './node.js';

/** `expr COLLATE "name"`; the collation is written as a quoted identifier, so any string is safe. */
export interface CollateNode {
  readonly kind: 'collate';
  readonly expr: Node;
  readonly collation: string;
}

/**
 * `expr COLLATE "collation"`.
 * @example collate(column('name'), 'C') // "name" COLLATE "C"
 */
export function collate(expr: Node, collation: string): CollateNode {
  if (typeof collation !== 'string' || collation.length === 0 || collation.length > 63 || collation.includes('\0'))
    throw new TypeError(
      `collate(): the collation must be a name of 1 to 63 characters without NUL, received ${typeof collation === 'string' ? JSON.stringify(collation.slice(0, 60)) : typeof collation}`,
    );
  return freeze({ kind: 'collate', expr, collation });
}
