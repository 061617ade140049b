import { freeze, type Node } from './node.js';

/** `left op right`, e.g. `"age" >= $1`, `"a" || "b"`, `"x" IN (…)`. */
export interface BinaryNode {
  readonly kind: 'binary';
  readonly op: string;
  readonly left: Node;
  readonly right: Node;
}

/** A prefix (`NOT x`, `-x`, `EXISTS (…)`) or postfix (`x IS NULL`) operator. */
export interface UnaryNode {
  readonly kind: 'unary';
  readonly op: string;
  readonly operand: Node;
  readonly postfix?: boolean | undefined;
}

/** `a AND b AND c` / `a OR b`; an empty AND is TRUE, an empty OR is FALSE. */
export interface LogicalNode {
  readonly kind: 'logical';
  readonly op: 'AND' | 'OR';
  readonly items: readonly Node[];
}

export function binary(left: Node, op: string, right: Node): BinaryNode {
  return freeze({ kind: 'binary', op, left, right });
}

export function unary(op: string, operand: Node, postfix = false): UnaryNode {
  return freeze({ kind: 'unary', op, operand, postfix });
}

export function logical(op: 'AND' | 'OR', items: readonly Node[]): LogicalNode {
  return freeze({ kind: 'logical', op, items: Object.freeze([...items]) });
}
