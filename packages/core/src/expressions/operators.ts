import { binary, type Expressible, type Node } from '@pewit/query';
import { Expression } from './expression.js';

/**
 * The PostgreSQL operators of arrays, JSONB and text search that pewit
 * writes: a closed list, so no operator text comes from a caller.
 */
export type TypeOperator = '@>' | '<@' | '&&' | '?' | '?|' | '?&' | '->' | '->>' | '#>' | '#>>' | '@@';

/** `left op right` as a binary node (the compiler brackets composite operands). */
export function binaryOp<R = boolean>(left: Expressible, op: TypeOperator, right: Node): Expression<R> {
  return new Expression<R>(binary(left.toNode(), op, right));
}
