import { type Expressible, isExpressible, type Node, value } from '@pewit/query';
import { ValidationError } from '../errors/usage-errors.js';
import { type Condition, Expression } from '../expressions/expression.js';
import { binaryOp } from '../expressions/operators.js';
import { jsonProblem } from './json-value.js';

/** The keys `get()` takes at a level of `T`: its property names, an index for arrays, anything when the shape is unknown. */
export type JsonKey<T> = unknown extends T
  ? string | number
  : NonNullable<T> extends readonly unknown[]
    ? number
    : NonNullable<T> extends object
      ? Extract<keyof NonNullable<T>, string>
      : never;

/** The type `get(key)` reaches. */
export type JsonAt<T, K> = unknown extends T
  ? unknown
  : NonNullable<T> extends readonly (infer E)[]
    ? E
    : K extends keyof NonNullable<T>
      ? NonNullable<T>[K]
      : unknown;

/**
 * The operators of a `jsonb` column or of a JSON value reached from it.
 * Keys and values are parameters (`$n::text`, `$n::jsonb`, `$n::text[]`).
 * @example Doc.data.contains({ kind: 'a' })      // "docs"."data" @> $1::jsonb
 * @example Doc.data.hasKey('kind')                // "docs"."data" ? $1::text
 * @example Doc.data.get('owner').getText('name')  // ("docs"."data" -> $1::text) ->> $2::text
 * @example Doc.data.pathText('owner', 'name')     // "docs"."data" #>> $1::text[]
 */
export interface JsonOperators<T> {
  /** `@>`: contains the JSON value (sub-object, array elements). */
  contains(value: unknown): Condition;
  /** `<@`: is contained in the JSON value. */
  containedBy(value: unknown): Condition;
  /** `?`: has the top-level key (or array string element). */
  hasKey(key: string): Condition;
  /** `?|`: has at least one of the keys. */
  hasAnyKey(...keys: string[]): Condition;
  /** `?&`: has every one of the keys. */
  hasAllKeys(...keys: string[]): Condition;
  /** `->`: the value at a key (a string) or array index (a number, 0-based), as JSON; typed when `T` is. */
  get<K extends JsonKey<T>>(key: K): JsonExpression<JsonAt<T, K> | null>;
  /** `->>`: the value at a key or index, as text. */
  getText<K extends JsonKey<T>>(key: K): Expression<string | null>;
  /** `#>`: the value at a path of keys and indexes, as JSON. */
  path(...keys: (string | number)[]): JsonExpression<unknown>;
  /** `#>>`: the value at a path, as text. */
  pathText(...keys: (string | number)[]): Expression<string | null>;
}

function refuse(self: unknown, message: string): never {
  const field = self as { invalid?: (m: string) => ValidationError };
  if (typeof field.invalid === 'function') throw field.invalid(message);
  throw new ValidationError(message, '(expression)', '(json)');
}

function jsonValue(self: unknown, v: unknown): Node {
  if (isExpressible(v)) return (v as Expressible).toNode();
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') refuse(self, `expected a JSON value, received ${typeof v}`);
  const problem = jsonProblem(v, '$', new Set());
  if (problem) refuse(self, `expected a JSON value: ${problem}`);
  return value(JSON.stringify(v), 'jsonb');
}

function key(self: unknown, k: unknown): Node {
  if (typeof k === 'string') return value(k, 'text');
  if (typeof k === 'number' && Number.isSafeInteger(k)) return value(k, 'integer');
  return refuse(self, `expected a JSON key (a string) or array index (an integer), received ${String(k)}`);
}

function keys(self: unknown, ks: readonly unknown[]): Node {
  for (const k of ks) if (typeof k !== 'string') refuse(self, `expected keys as strings, received ${String(k)}`);
  return value([...ks], 'text[]');
}

function path(self: unknown, ks: readonly unknown[]): Node {
  for (const k of ks)
    if (typeof k !== 'string' && !(typeof k === 'number' && Number.isSafeInteger(k)))
      refuse(self, `expected a path of keys and indexes, received ${String(k)}`);
  return value(ks.map(String), 'text[]');
}

/** The implementations, shared by JSONField and JsonExpression. */
export const jsonOperatorMethods = {
  contains(this: Expressible, v: unknown): Condition {
    return binaryOp(this, '@>', jsonValue(this, v));
  },
  containedBy(this: Expressible, v: unknown): Condition {
    return binaryOp(this, '<@', jsonValue(this, v));
  },
  hasKey(this: Expressible, k: string): Condition {
    if (typeof k !== 'string') refuse(this, `expected a key as a string, received ${String(k)}`);
    return binaryOp(this, '?', value(k, 'text'));
  },
  hasAnyKey(this: Expressible, ...ks: string[]): Condition {
    return binaryOp(this, '?|', keys(this, ks));
  },
  hasAllKeys(this: Expressible, ...ks: string[]): Condition {
    return binaryOp(this, '?&', keys(this, ks));
  },
  get(this: Expressible, k: string | number): JsonExpression<unknown> {
    return jsonExpression(binaryOp(this, '->', key(this, k)).toNode());
  },
  getText(this: Expressible, k: string | number): Expression<string | null> {
    return binaryOp<string | null>(this, '->>', key(this, k));
  },
  path(this: Expressible, ...ks: (string | number)[]): JsonExpression<unknown> {
    return jsonExpression(binaryOp(this, '#>', path(this, ks)).toNode());
  },
  pathText(this: Expressible, ...ks: (string | number)[]): Expression<string | null> {
    return binaryOp<string | null>(this, '#>>', path(this, ks));
  },
};

class JsonExpressionImpl extends Expression<unknown> {}
Object.assign(JsonExpressionImpl.prototype, jsonOperatorMethods);

/** A JSON value reached from a `jsonb` column (`->`, `#>`); it has the JSON operators too. */
export type JsonExpression<T> = Expression<T> & JsonOperators<T>;

const jsonExpression = (node: Node): JsonExpression<unknown> => new JsonExpressionImpl(node) as JsonExpression<unknown>;
