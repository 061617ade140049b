import { BINARY_OPERATORS, type BinaryOperator, LOGICAL_OPERATORS, oneOf, UNARY_OPERATORS, type UnaryOperator } from './keywords.js';
import { freeze, type Node } from './node.js';

export type { BinaryOperator, UnaryOperator } from './keywords.js';

/** `left op right`, e.g. `"age" >= $1`, `"a" || "b"`, `"x" IN (…)`. */
export interface BinaryNode {
  readonly kind: 'binary';
  readonly op: BinaryOperator;
  readonly left: Node;
  readonly right: Node;
}

/** A prefix (`NOT x`, `-x`, `EXISTS (…)`) or postfix (`x IS NULL`) operator. */
export interface UnaryNode {
  readonly kind: 'unary';
  readonly op: UnaryOperator;
  readonly operand: Node;
  readonly postfix?: boolean | undefined;
}

/** `a AND b AND c` / `a OR b`; an empty AND is TRUE, an empty OR is FALSE. */
export interface LogicalNode {
  readonly kind: 'logical';
  readonly op: 'AND' | 'OR';
  readonly items: readonly Node[];
}

/**
 * `left op right`; `op` must be one of the closed list of operators.
 * @example binary(column('age'), '>=', value(18)) // "age" >= $1
 */
export function binary(left: Node, op: BinaryOperator, right: Node): BinaryNode {
  return freeze({ kind: 'binary', op: oneOf('binary operator', op, BINARY_OPERATORS), left, right });
}

/**
 * A prefix or postfix operator from the closed list.
 * @example unary('IS NULL', column('email'), true) // "email" IS NULL
 */
export function unary(op: UnaryOperator, operand: Node, postfix = false): UnaryNode {
  return freeze({ kind: 'unary', op: oneOf('unary operator', op, UNARY_OPERATORS), operand, postfix });
}

/**
 * `a AND b …` / `a OR b …`.
 * @example logical('OR', [a, b]) // (a) OR (b)
 */
export function logical(op: 'AND' | 'OR', items: readonly Node[]): LogicalNode {
  return freeze({ kind: 'logical', op: oneOf('logical operator', op, LOGICAL_OPERATORS), items: Object.freeze([...items]) });
}
