import { type Expressible, type FrameSpec, type FunctionNode, fn as fnNode, toNode, windowSpec } from '@pewit/query';
import { type ConditionOperand, Expression, Ordering } from './expression.js';
import type { BuiltinFunctionName } from './function-names.js';

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
  filter(condition: ConditionOperand): FunctionExpression<T> {
    return new FunctionExpression<T>(fnNode(this.call.name, this.call.args, { ...this.call, filter: condition.toNode() }));
  }
  /** `name(DISTINCT …)`. @example fn.count(Tweet.user).distinct() // count(DISTINCT "tweets"."user_id") */
  distinct(): FunctionExpression<T> {
    return new FunctionExpression<T>(fnNode(this.call.name, this.call.args, { ...this.call, distinct: true }));
  }
}

/**
 * Any SQL function by name: its result type is what you say (`fn.similarity<number>(a, b)`), `unknown` when not said.
 * @example fn.similarity<number>(User.username, 'ada') // similarity("users"."username", $1)
 */
export type SqlFunction = <T = unknown>(...args: unknown[]) => FunctionExpression<T>;

/** Marker carried by `double precision` and `real` columns: their sums and averages stay floats. */
export interface FloatBrand {
  readonly __float?: true;
}

/**
 * What an expression's value becomes when PostgreSQL computes it rather than reading a column: an `int8`
 * result (from a `bigint` column) is decoded as a number while exact, a bigint beyond.
 */
export type Computed<T> = T extends bigint ? number | bigint : T;

type ValueOf<X> = X extends { readonly __type?: infer T } ? T : unknown;

/**
 * `sum(x)` as PostgreSQL types it and pewit decodes it: an `integer`/`smallint` sum is `bigint` (a number while
 * exact, a bigint beyond 2^53), a float sum a number, a `bigint` or `numeric` sum `numeric` (an exact string).
 */
export type SumOf<X> = X extends FloatBrand ? number : NonNullable<ValueOf<X>> extends number ? number | bigint : string;

/** `avg(x)`: `double precision` for float columns (a number), `numeric` (an exact string) for every other. */
export type AvgOf<X> = X extends FloatBrand ? number : string;

/** Known result types for common functions; any other name is a `SqlFunction`. */
export interface KnownFunctions {
  /** `count(*)`/`count(x)`: `int8`, always a number (no table holds 2^53 rows). */
  count(...args: unknown[]): FunctionExpression<number>;
  lower(arg: unknown): FunctionExpression<string>;
  upper(arg: unknown): FunctionExpression<string>;
  now(): FunctionExpression<Date>;
  /** `sum(x)`, typed by `SumOf`; NULL over no rows. @example fn.sum(Tweet.likes) // number | bigint | null */
  sum<X extends Expression<any>>(arg: X): FunctionExpression<SumOf<X> | null>;
  /** `avg(x)`, typed by `AvgOf`; NULL over no rows. */
  avg<X extends Expression<any>>(arg: X): FunctionExpression<AvgOf<X> | null>;
  /** `min(x)`: the argument's type (`Computed`); NULL over no rows. */
  min<T>(arg: Expression<T>): FunctionExpression<Computed<T> | null>;
  /** `max(x)`: the argument's type (`Computed`); NULL over no rows. */
  max<T>(arg: Expression<T>): FunctionExpression<Computed<T> | null>;
  coalesce<T>(...args: (Expression<T> | NonNullable<T>)[]): FunctionExpression<Computed<T>>;
  length(arg: unknown): FunctionExpression<number>;
  /** `date_trunc('month', at)`: the timestamp cut to the start of its month (the field is a parameter). */
  date_trunc(field: string, source: unknown): FunctionExpression<Date>;
  /** `grouping(a, …)` with ROLLUP / CUBE / GROUPING SETS: a bit mask, 1 where the column is rolled up in this row. */
  grouping(...args: unknown[]): FunctionExpression<number>;
  rank(): FunctionExpression<number>;
  dense_rank(): FunctionExpression<number>;
  row_number(): FunctionExpression<number>;
  lag<T>(arg: Expression<T>, ...rest: unknown[]): FunctionExpression<Computed<T> | null>;
  lead<T>(arg: Expression<T>, ...rest: unknown[]): FunctionExpression<Computed<T> | null>;
  string_agg(arg: unknown, separator: unknown): FunctionExpression<string | null>;
  /** `unnest(array)`: one row per element. @example Post.select(fn.unnest(Post.tags).as('tag')) // SELECT unnest("posts"."tags") AS "tag" … */
  unnest<E>(arg: Expression<readonly E[] | null>): FunctionExpression<E>;
  /** `cardinality(array)`: the number of elements. */
  cardinality(arg: unknown): FunctionExpression<number | null>;
  /** `array_length(array, dimension)`: NULL for an empty array. */
  array_length(arg: unknown, dimension: number): FunctionExpression<number | null>;
}

/**
 * `fn`'s type: the known functions, every other name of PostgreSQL's built-in functions as a `SqlFunction`
 * (so they compile under `noUncheckedIndexedAccess`), and an index signature for the rest (an extension's function:
 * `fn.my_func!<number>()` under `noUncheckedIndexedAccess`, or `sql`).
 */
export type SqlFunctions = KnownFunctions & { readonly [N in Exclude<BuiltinFunctionName, keyof KnownFunctions>]: SqlFunction } & {
  readonly [name: string]: SqlFunction;
};

/**
 * Calls any SQL function by name; arguments may be columns, expressions or
 * values (sent as parameters).
 *
 * @example fn.count(Tweet.id)           // count("tweets"."id")
 * @example fn.lower(User.username)      // lower("users"."username")
 * @example fn.coalesce(User.email, '-') // coalesce("users"."email", $1)
 */
export const fn: SqlFunctions = new Proxy({} as SqlFunctions, {
  get(_target, name) {
    if (typeof name !== 'string') return undefined;
    return (...args: unknown[]) => new FunctionExpression(fnNode(name, name === 'count' && args.length === 0 ? [toNode(sqlStar)] : args.map(toNode)));
  },
});

const sqlStar: Expressible = { toNode: () => ({ kind: 'star' }) as const };
