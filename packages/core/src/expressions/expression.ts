import {
  alias,
  type BinaryOperator,
  binary,
  cast,
  collate,
  type Expressible,
  isExpressible,
  list,
  type Node,
  type OrderByNode,
  oneOf,
  orderBy,
  raw,
  unary,
  value,
} from '@pewit/query';
import type { VALUES } from '../meta/symbols.js';

/** The value types an expression may have to stand for a `T`: itself, and integers for bigints and back. */
type Comparable<T> = T extends number | bigint ? number | bigint : T;

/**
 * An expression usable where a value of type `T` is expected: a column or expression whose value type is `T`
 * (or `null`), or SQL that carries no type (`sql` fragments, subqueries).
 * @example User.age.eq(Tweet.likes) // both integers: compiles; User.username.eq(User.age) does not
 */
export type TypedOperand<T> = Expressible & { readonly __type?: Comparable<T> | ModelValue | null | undefined };

/**
 * A foreign key's value type is the related instance while SQL compares its key: a foreign-key column is accepted
 * as an operand of any type (the key type is checked when the foreign key is the left side: `Tweet.user.eq(…)`).
 */
interface ModelValue {
  readonly [VALUES]: Record<string, unknown>;
}

/** Something usable where a value of type `T` is expected: the value itself or an expression of that type. */
export type Operand<T> = T | TypedOperand<T>;

/** A boolean SQL expression, usable in `where`, `having`, `on`. */
export type Condition = Expression<boolean>;

/**
 * What `where`, `having` and `on` take: a boolean expression, or SQL that carries no type (`sql` fragments).
 * A column of another type (`.where(Post.title)`) does not compile.
 */
export type ConditionOperand = Expressible & { readonly __type?: boolean | null | undefined };

/** Escapes LIKE wildcards so `startsWith('50%')` matches the literal text. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * A typed SQL expression. `T` is the JavaScript type it yields; `TIn` what
 * it accepts as an operand. Every method returns a new expression.
 *
 * @example Tweet.likes.add(1).gte(10) // ("tweets"."likes" + $1) >= $2
 */
export class Expression<T = unknown, TIn = T> implements Expressible {
  /** Phantom: the type this expression yields. */
  declare readonly __type?: T;

  constructor(protected readonly node?: Node) {}

  toNode(): Node {
    if (!this.node) throw new TypeError('expression has no SQL node');
    return this.node;
  }

  /** Turns an operand into a node; fields override it to validate and convert the value. */
  protected operand(v: Operand<TIn> | unknown): Node {
    return isExpressible(v) ? v.toNode() : value(v);
  }

  protected op<R = boolean>(operator: BinaryOperator, right: Node): Expression<R> {
    return new Expression<R>(binary(this.toNode(), operator, right));
  }

  /** `= value`; `eq(null)` compiles to `IS NULL`. @example User.username.eq('alice') // "users"."username" = $1 */
  eq(v: Operand<TIn> | null): Condition {
    return v === null ? this.isNull() : this.op('=', this.operand(v));
  }
  /** `<> value`; `ne(null)` compiles to `IS NOT NULL`. */
  ne(v: Operand<TIn> | null): Condition {
    return v === null ? this.isNotNull() : this.op('<>', this.operand(v));
  }
  /** `< value`. */
  lt(v: Operand<TIn>): Condition {
    return this.op('<', this.operand(v));
  }
  /** `<= value`. */
  lte(v: Operand<TIn>): Condition {
    return this.op('<=', this.operand(v));
  }
  /** `> value`. */
  gt(v: Operand<TIn>): Condition {
    return this.op('>', this.operand(v));
  }
  /** `>= value`. */
  gte(v: Operand<TIn>): Condition {
    return this.op('>=', this.operand(v));
  }
  /**
   * `IN (…)` with a list or a subquery; an empty list matches nothing.
   * @example User.id.in([1, 2]) // "users"."id" IN ($1, $2)
   */
  in(values: readonly Operand<TIn>[] | Expressible): Condition {
    if (isExpressible(values)) return this.op('IN', values.toNode());
    if (values.length === 0) return new Expression<boolean>(value(false));
    return this.op('IN', list(values.map((v) => this.operand(v))));
  }
  /** `NOT IN (…)`; an empty list matches everything. */
  notIn(values: readonly Operand<TIn>[] | Expressible): Condition {
    if (isExpressible(values)) return this.op('NOT IN', values.toNode());
    if (values.length === 0) return new Expression<boolean>(value(true));
    return this.op('NOT IN', list(values.map((v) => this.operand(v))));
  }
  /** `IS NULL`. */
  isNull(): Condition {
    return new Expression<boolean>(unary('IS NULL', this.toNode(), true));
  }
  /** `IS NOT NULL`. */
  isNotNull(): Condition {
    return new Expression<boolean>(unary('IS NOT NULL', this.toNode(), true));
  }
  /** `BETWEEN low AND high` (inclusive). @example User.age.between(18, 30) // "users"."age" BETWEEN $1 AND $2 */
  between(low: Operand<TIn>, high: Operand<TIn>): Condition {
    // One node for the whole ternary: the bounds must not be bracketed together (`x BETWEEN ($1 AND $2)` is a syntax error).
    return new Expression<boolean>(raw(['', ' BETWEEN ', ' AND ', ''], [this.toNode(), this.operand(low), this.operand(high)]));
  }
  /** `LIKE pattern` (the pattern's `%` and `_` are wildcards). */
  like(pattern: string | Expressible): Condition {
    return this.op('LIKE', isExpressible(pattern) ? pattern.toNode() : value(pattern));
  }
  /** `ILIKE pattern`, case-insensitive. */
  ilike(pattern: string | Expressible): Condition {
    return this.op('ILIKE', isExpressible(pattern) ? pattern.toNode() : value(pattern));
  }
  /** Starts with the literal text (wildcards in it are escaped). @example User.username.startsWith('a_') // LIKE $1 with 'a\_%' */
  startsWith(text: string): Condition {
    return this.op('LIKE', value(`${escapeLike(text)}%`));
  }
  /** Ends with the literal text. */
  endsWith(text: string): Condition {
    return this.op('LIKE', value(`%${escapeLike(text)}`));
  }
  /** Contains the literal text. */
  contains(text: string): Condition {
    return this.op('LIKE', value(`%${escapeLike(text)}%`));
  }
  /** Contains the literal text, ignoring case (`ILIKE`; `%`, `_` and `\` in it are escaped). @example User.username.icontains('A_') // ILIKE $1 with '%A\_%' */
  icontains(text: string): Condition {
    return this.op('ILIKE', value(`%${escapeLike(text)}%`));
  }
  /** Starts with the literal text, ignoring case. */
  istartsWith(text: string): Condition {
    return this.op('ILIKE', value(`${escapeLike(text)}%`));
  }
  /** Ends with the literal text, ignoring case. */
  iendsWith(text: string): Condition {
    return this.op('ILIKE', value(`%${escapeLike(text)}`));
  }
  /** `~ pattern`, a POSIX regular expression. */
  regexp(pattern: string): Condition {
    return this.op('~', value(pattern));
  }
  /**
   * `+`. An expression of another type is accepted (a timestamp plus an `interval(…)`); a plain value must be of this type.
   * @example Tweet.likes.add(1) // "tweets"."likes" + $1
   */
  add(v: Operand<TIn> | Expressible): Expression<T, TIn> {
    return this.op<T>('+', this.operand(v)) as unknown as Expression<T, TIn>;
  }
  /** `-`; like `add`, an expression of another type is accepted (a timestamp minus an interval). */
  sub(v: Operand<TIn> | Expressible): Expression<T, TIn> {
    return this.op<T>('-', this.operand(v)) as unknown as Expression<T, TIn>;
  }
  /** `*`. */
  mul(v: Operand<TIn>): Expression<T, TIn> {
    return this.op<T>('*', this.operand(v)) as unknown as Expression<T, TIn>;
  }
  /** `/`. */
  div(v: Operand<TIn>): Expression<T, TIn> {
    return this.op<T>('/', this.operand(v)) as unknown as Expression<T, TIn>;
  }
  /** `||` string concatenation. */
  concat(v: Operand<string>): Expression<string> {
    return this.op<string>('||', isExpressible(v) ? v.toNode() : value(v));
  }
  /** `CAST(expr AS type)`. @example User.id.cast('text') // CAST("users"."id" AS text) */
  cast<R = unknown>(type: string): Expression<R> {
    return new Expression<R>(cast(this.toNode(), type));
  }
  /**
   * `expr COLLATE "name"`: compare or sort by another collation. The name is a quoted identifier (`'C'`, `'und-x-icu'`).
   * @example User.username.collate('C').asc() // "users"."username" COLLATE "C" ASC
   */
  collate(collation: string): Expression<T, TIn> {
    return new Expression<T, TIn>(collate(this.toNode(), collation));
  }
  /** Ascending order, optionally with `NULLS FIRST|LAST`. @example User.age.asc('last') // "users"."age" ASC NULLS LAST */
  asc(nulls?: 'first' | 'last'): Ordering {
    return new Ordering(orderBy(this.toNode(), 'ASC', nullsOrdering(nulls)));
  }
  /** Descending order. @example Tweet.id.desc() // "tweets"."id" DESC */
  desc(nulls?: 'first' | 'last'): Ordering {
    return new Ordering(orderBy(this.toNode(), 'DESC', nullsOrdering(nulls)));
  }
  /** `expr AS "name"`; the alias names the key in `.dicts()` rows. */
  as<N extends string>(name: N): AliasedExpression<T, N> {
    return new AliasedExpression<T, N>(this, name);
  }
}

const NULLS_WORDS = ['first', 'last'] as const;

/** `'first'` / `'last'` to the SQL words; anything else is an error, never a silent `NULLS LAST`. */
function nullsOrdering(nulls: 'first' | 'last' | undefined): 'FIRST' | 'LAST' | undefined {
  if (nulls === undefined) return undefined;
  return oneOf('NULLS ordering', nulls, NULLS_WORDS) === 'first' ? 'FIRST' : 'LAST';
}

/** An expression with an output name (`expr AS "name"`). */
export class AliasedExpression<T, N extends string> implements Expressible {
  declare readonly __type?: T;
  constructor(
    readonly expression: Expression<T, unknown>,
    readonly alias: N,
  ) {}
  toNode(): Node {
    return alias(this.expression.toNode(), this.alias);
  }
}

/** An ORDER BY item. */
export class Ordering implements Expressible {
  constructor(private readonly node: OrderByNode) {}
  toNode(): OrderByNode {
    return this.node;
  }
}
