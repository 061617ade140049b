import { type Expressible, type FrameSpec, type FunctionNode, fn as fnNode, toNode, windowSpec } from '@pewit/query';
import { Expression, Ordering } from './expression.js';

/** Window definition for `.over()`: each part a single item or an array. */
export interface OverOptions {
  readonly partitionBy?: Expressible | readonly Expressible[];
  readonly orderBy?: Expressible | readonly Expressible[];
  readonly frame?: FrameSpec;
}

const asArray = <T>(v: T | readonly T[] | undefined): readonly T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v as T]);

/** A SQL function call; `over()` makes it a window function, `filter()` an aggregate filter. */
export class FunctionExpression<T = unknown> extends Expression<T> {
  constructor(private readonly call: FunctionNode) {
    super(call);
  }
  /**
   * `OVER (PARTITION BY … ORDER BY …)`.
   * @example fn.rank().over({ partitionBy: Tweet.user, orderBy: Tweet.likes.desc() }) // rank() OVER (PARTITION BY "tweets"."user_id" ORDER BY "tweets"."likes" DESC)
   */
  over(options: OverOptions = {}): FunctionExpression<T> {
    const orderings = asArray(options.orderBy).map((o) => (o instanceof Ordering ? o.toNode() : new Expression(o.toNode()).asc().toNode()));
    return new FunctionExpression<T>(
      fnNode(this.call.name, this.call.args, {
        ...this.call,
        over: windowSpec(
          asArray(options.partitionBy).map((p) => p.toNode()),
          orderings,
          options.frame,
        ),
      }),
    );
  }
  /** `FILTER (WHERE condition)`. @example fn.count(Tweet.id).filter(Tweet.likes.gt(0)) */
  filter(condition: Expressible): FunctionExpression<T> {
    return new FunctionExpression<T>(fnNode(this.call.name, this.call.args, { ...this.call, filter: condition.toNode() }));
  }
  /** `name(DISTINCT …)`. @example fn.count(Tweet.user).distinct() // count(DISTINCT "tweets"."user_id") */
  distinct(): FunctionExpression<T> {
    return new FunctionExpression<T>(fnNode(this.call.name, this.call.args, { ...this.call, distinct: true }));
  }
}

type AnyFunction = (...args: unknown[]) => FunctionExpression<any>;

/** Known result types for common functions; anything else is `fn.anyName(...)` returning `unknown`. */
export interface KnownFunctions {
  count(...args: unknown[]): FunctionExpression<number>;
  lower(arg: unknown): FunctionExpression<string>;
  upper(arg: unknown): FunctionExpression<string>;
  now(): FunctionExpression<Date>;
  /** `sum(x)`: integer and float sums arrive as numbers, bigint/numeric sums as exact strings; NULL over no rows. */
  sum<T>(arg: Expression<T>): FunctionExpression<(NonNullable<T> extends number ? number : string) | null>;
  /** `avg(x)`: numeric (an exact string) for integer columns, a number for floats. */
  avg(arg: unknown): FunctionExpression<string | number | null>;
  min<T>(arg: Expression<T>): FunctionExpression<T | null>;
  max<T>(arg: Expression<T>): FunctionExpression<T | null>;
  coalesce<T>(...args: (Expression<T> | NonNullable<T>)[]): FunctionExpression<T>;
  length(arg: unknown): FunctionExpression<number>;
  /** `date_trunc('month', at)`: the timestamp cut to the start of its month (the field is a parameter). */
  date_trunc(field: string, source: unknown): FunctionExpression<Date>;
  /** `grouping(a, …)` with ROLLUP / CUBE / GROUPING SETS: a bit mask, 1 where the column is rolled up in this row. */
  grouping(...args: unknown[]): FunctionExpression<number>;
  rank(): FunctionExpression<number>;
  dense_rank(): FunctionExpression<number>;
  row_number(): FunctionExpression<number>;
  lag<T>(arg: Expression<T>, ...rest: unknown[]): FunctionExpression<T | null>;
  lead<T>(arg: Expression<T>, ...rest: unknown[]): FunctionExpression<T | null>;
  string_agg(arg: unknown, separator: unknown): FunctionExpression<string | null>;
  /** `unnest(array)`: one row per element. @example Post.select(fn.unnest(Post.tags).as('tag')) // SELECT unnest("posts"."tags") AS "tag" … */
  unnest<E>(arg: Expression<readonly E[] | null>): FunctionExpression<E>;
  /** `cardinality(array)`: the number of elements. */
  cardinality(arg: unknown): FunctionExpression<number | null>;
  /** `array_length(array, dimension)`: NULL for an empty array. */
  array_length(arg: unknown, dimension: number): FunctionExpression<number | null>;
}

/**
 * Calls any SQL function by name; arguments may be columns, expressions or
 * values (sent as parameters).
 *
 * @example fn.count(Tweet.id)           // count("tweets"."id")
 * @example fn.lower(User.username)      // lower("users"."username")
 * @example fn.coalesce(User.email, '-') // coalesce("users"."email", $1)
 */
export const fn: KnownFunctions & Record<string, AnyFunction> = new Proxy({} as KnownFunctions & Record<string, AnyFunction>, {
  get(_target, name) {
    if (typeof name !== 'string') return undefined;
    return (...args: unknown[]) => new FunctionExpression(fnNode(name, name === 'count' && args.length === 0 ? [toNode(sqlStar)] : args.map(toNode)));
  },
});

const sqlStar: Expressible = { toNode: () => ({ kind: 'star' }) as const };
