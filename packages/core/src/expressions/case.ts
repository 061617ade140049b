import { caseWhen, type Expressible, isExpressible, type Node, value } from '@pewit/query';
import { Expression } from './expression.js';

const nodeOf = (v: unknown): Node => (isExpressible(v) ? v.toNode() : value(v));

/**
 * `CASE`, searched or simple. Conditions, subjects and results may be
 * expressions or values (sent as parameters).
 *
 * @example Case([[Tweet.likes.gte(10), 'hot']], 'cold') // CASE WHEN "tweets"."likes" >= $1 THEN $2 ELSE $3 END
 * @example Case(User.age, [[18, 'adult']], 'other')    // CASE "users"."age" WHEN $1 THEN $2 ELSE $3 END
 */
export function Case<T = unknown>(whens: readonly (readonly [Expressible, T | Expressible])[], elseValue?: T | Expressible): Expression<T>;
export function Case<T = unknown>(subject: Expressible, whens: readonly (readonly [unknown, T | Expressible])[], elseValue?: T | Expressible): Expression<T>;
export function Case(a: unknown, b?: unknown, c?: unknown): Expression<unknown> {
  const simple = isExpressible(a) && !Array.isArray(a);
  const whens = (simple ? b : a) as readonly (readonly [unknown, unknown])[];
  const otherwise = simple ? c : b;
  if (!Array.isArray(whens) || whens.length === 0) throw new TypeError('Case(): pass at least one [when, then] pair');
  const pairs = whens.map((pair): [Node, Node] => {
    if (!Array.isArray(pair) || pair.length !== 2) throw new TypeError('Case(): each branch is a [when, then] pair');
    return [nodeOf(pair[0]), nodeOf(pair[1])];
  });
  return new Expression(caseWhen(pairs, otherwise === undefined ? undefined : nodeOf(otherwise), simple ? (a as Expressible).toNode() : undefined));
}
