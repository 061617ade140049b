import type { AliasedFragment } from '@pewit/query';
import type { AliasedExpression } from '../expressions/expression.js';
import type { Model } from '../model/model.js';
import type { AnyModelClass, FieldShapes, FieldsOf, ForeignKeyBrand, InModel } from '../model/types.js';

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

/**
 * The value one selected item yields in `.dicts()`/`.tuples()` rows: a
 * foreign key its raw key (no instance is built), any other column or
 * expression its own type.
 */
export type SelectedValue<X> = X extends ForeignKeyBrand<infer K> ? K : X extends { readonly __type?: infer T } ? T : unknown;

/** A whole model in a dict row: one key per field. */
export type ModelDict<F extends FieldShapes> = { -readonly [K in keyof F]: SelectedValue<InModel<F[K], F>> };

/** The keys one selected item contributes: a model its fields, an alias its name, a column its property name. */
type Keyed<X> = X extends AnyModelClass
  ? ModelDict<FieldsOf<X>>
  : X extends AliasedExpression<any, infer N>
    ? { [P in N]: SelectedValue<X> }
    : X extends AliasedFragment<infer N, any>
      ? { [P in N]: SelectedValue<X> }
      : X extends { readonly name: infer K extends string; readonly __type?: unknown }
        ? { [P in K]: SelectedValue<X> }
        : { [key: string]: unknown };

/** The literal keys one selected item contributes (an unaliased expression's untyped key is none). */
type LiteralKeys<X> = { [K in keyof Keyed<X>]: string extends K ? never : K }[keyof Keyed<X>];

/** The keys two items of a selection both contribute (`Post.id` and `User.id` are both `id`). */
type RepeatedKeys<S extends readonly unknown[], Seen = never> = S extends readonly [infer H, ...infer T]
  ? (LiteralKeys<H> & Seen) | RepeatedKeys<T, Seen | LiteralKeys<H>>
  : never;

/**
 * The row type of a `.dicts()` selection whose keys collide: `.dicts()`
 * refuses it at run time, and no property of it can be read, so the type
 * error points at the same fix.
 */
export interface DictKeyCollision<K> {
  readonly 'dicts(): a key is selected twice; give one column a name with .as()': K;
}

/**
 * The row type of `.dicts()` for a selection `S` of model `M`: keyed by
 * alias, by property name for columns, and by field for whole models. An
 * expression without an alias gives an untyped key (alias it with `.as()`).
 * Two items with the same key give `DictKeyCollision` (see `.dicts()`).
 *
 * @example DictRow<[typeof User.username, AliasedExpression<number, 'n'>]> // { username: string; n: number }
 */
export type DictRow<S extends readonly unknown[], M = never> = S extends readonly []
  ? [M] extends [never]
    ? Record<string, unknown>
    : ModelDict<FieldsOf<M>>
  : number extends S['length']
    ? Record<string, unknown>
    : [RepeatedKeys<S>] extends [never]
      ? Simplify<UnionToIntersection<Keyed<S[number]>>>
      : DictKeyCollision<RepeatedKeys<S>>;

type HasModel<S extends readonly unknown[]> = true extends { [I in keyof S]: S[I] extends AnyModelClass ? true : false }[number] ? true : false;

/**
 * The row type of `.tuples()`: one element per selected column. A whole
 * model expands to several columns, so a selection with a model gives `unknown[]`.
 */
export type TupleRow<S extends readonly unknown[]> = S extends readonly []
  ? unknown[]
  : number extends S['length']
    ? unknown[]
    : HasModel<S> extends true
      ? unknown[]
      : { -readonly [I in keyof S]: SelectedValue<S[I]> };

/** What `scalar()` reads: the first element of a tuple row, `unknown` when the row is not typed element by element. */
export type ScalarOf<T> = T extends readonly [infer X, ...unknown[]] ? X : unknown;

/** The `{ alias: type }` each aliased expression of a selection contributes (`fn.count().as('n')` → `{ n: number }`). */
type AliasedValue<X> =
  X extends AliasedExpression<infer T, infer N> ? { -readonly [P in N]: T } : X extends AliasedFragment<infer N, infer T> ? { -readonly [P in N]: T } : never;

/**
 * The instance type of a selection: the model's instance `I`, plus one property per aliased expression, which
 * pewit sets on each instance (`Post.select(Post, fn.count(Tag.id).as('tagCount'))` → `Post & { tagCount: number }`).
 */
export type InstanceRow<I, S extends readonly unknown[]> = S extends readonly []
  ? I
  : [AliasedValue<S[number]>] extends [never]
    ? I
    : I & UnionToIntersection<AliasedValue<S[number]>>;

/** The items of selection `S` (a tuple). */
type Selected<S> = S extends readonly unknown[] ? S[number] : never;

/** The property names of the columns of `S` that are fields of model `J` (a column is known by its name). */
type JoinedNames<S, J> = NameIn<Selected<S>, keyof FieldsOf<J>>;
type NameIn<X, N> = X extends { readonly name: infer K extends N } ? K : never;

/** An instance of `J` with only the fields `N` (and the model's methods): what a join selected in part builds. */
type PartialInstance<J, N> = J extends abstract new (...args: any[]) => infer I ? Pick<I, Extract<N | keyof Model, keyof I>> : never;

type InstanceOf<J> = J extends abstract new (...args: any[]) => infer I ? I : never;

/**
 * The row type after `.join(J)` on a selection `S` with rows `R`: `R` itself when `J` is selected whole (or not
 * at all), else `R` with each related instance of `J` typed with the selected fields only:
 * `Post.select(Post, User.id, User.username).join(User)` gives `post.author` an `id` and a `username`, not the
 * `passwordHash` left out (reading it would give `undefined`). The joined model's columns are known by name.
 * @example JoinedRow<Post, typeof User, [typeof Post, typeof User.username]> // Post, its author typed as Pick<User, 'username' | …>
 */
export type JoinedRow<R, J, S> =
  J extends Selected<S>
    ? R
    : [JoinedNames<S, J>] extends [never]
      ? R
      : {
          [K in keyof R]: [NonNullable<R[K]>] extends [InstanceOf<J>] ? PartialInstance<J, JoinedNames<S, J>> | Extract<R[K], null> : R[K];
        };
