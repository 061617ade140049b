import { oneOf, REFERENTIAL_ACTIONS } from '@pewit/query';
import type { Expression } from '../expressions/expression.js';
import type { AnyModelClass, FieldsOf, ForeignKeyMark, PrimaryKeyName, RawValueOf } from '../model/types.js';
import { type AnyField, ConversionFailure, Field, type FieldOptions, type Nullable, type RequiredOnInsert } from './field.js';

/** The raw value of a key. */
export type Key = number | string | bigint;

export type ReferentialAction = (typeof REFERENTIAL_ACTIONS)[number];

export interface ForeignKeyOptions extends FieldOptions<unknown> {
  /** Name of the lazy query added to the target model (e.g. `tweets` on `User`). */
  readonly backref?: string;
  readonly onDelete?: ReferentialAction;
  readonly onUpdate?: ReferentialAction;
  /** Target property; default its primary key. */
  readonly field?: string;
}

/**
 * A column holding the key of a row of another model. Generic like `Field` so `ForeignKey` is this class with the
 * exact types (an intersection with `Field<any>` would let its `eq(any)` accept any operand).
 */
export class ForeignKeyFieldImpl<T = any, TIn = any, R extends boolean = any> extends Field<T, TIn, R> {
  readonly #target: (() => AnyModelClass) | 'self';

  constructor(
    target: (() => AnyModelClass) | 'self',
    readonly fkOptions: ForeignKeyOptions,
  ) {
    super(fkOptions);
    this.#target = target;
    // The one closed-list check of @pewit/query: it names the option and cuts a long value short.
    if (fkOptions.onDelete !== undefined) oneOf('ForeignKeyField onDelete', fkOptions.onDelete, REFERENTIAL_ACTIONS);
    if (fkOptions.onUpdate !== undefined) oneOf('ForeignKeyField onUpdate', fkOptions.onUpdate, REFERENTIAL_ACTIONS);
  }

  /** The referenced model class (resolves the thunk). */
  get target(): AnyModelClass {
    if (this.#target === 'self') return (this.owner as unknown as { cls: AnyModelClass }).cls;
    const cls = this.#target();
    if (!cls || !(cls as { _meta?: unknown })._meta)
      throw new TypeError(`${this.owner?.name}.${this.name}: the ForeignKeyField thunk did not return a model class`);
    return cls;
  }

  /** The referenced field (the target's primary key unless `field` says otherwise). */
  get targetField(): AnyField {
    const meta = this.target._meta;
    const name = this.fkOptions.field;
    if (name === undefined && meta.compositeKey)
      throw new TypeError(
        `${this.owner?.name}.${this.name}: ${meta.name} has a composite primary key, which one column cannot reference; pass { field: '…' } naming a unique field of ${meta.name}`,
      );
    const f = name === undefined ? meta.primaryKey : meta.byName.get(name);
    if (!f) throw new TypeError(`${this.owner?.name}.${this.name}: ${meta.name} has no ${name === undefined ? 'primary key' : `field "${name}"`} to reference`);
    return f;
  }

  get sqlType(): string {
    return this.targetField.castType;
  }

  // The stored value is the raw key, typed `T` like the instance it stands for: `any` here would make `T` `any` for inference.
  protected convert(v: unknown): T {
    const meta = this.target._meta;
    if (typeof v === 'object' && v !== null && '_meta' in (v.constructor as object)) {
      if ((v.constructor as AnyModelClass)._meta !== meta) throw new ConversionFailure(`expected a ${meta.name} or its key`);
      const key = (v as Record<string, unknown>)[this.targetField.name];
      if (key === null || key === undefined) throw new ConversionFailure(`the ${meta.name} has no ${this.targetField.name} yet: save it first`);
      return key as T;
    }
    try {
      return this.targetField.coerce(v) as T;
    } catch {
      throw new ConversionFailure(`expected a ${meta.name} or its ${this.targetField.name}`);
    }
  }

  override toDb(v: unknown): unknown {
    return this.targetField.toDb(v);
  }

  fromDb(text: string): T {
    return this.targetField.fromDb(text) as T;
  }
}

type InstanceOf<M> = M extends abstract new (...args: any[]) => infer I ? I : never;
type IsAny<T> = 0 extends 1 & T ? true : false;

/** The field of `M` a foreign key with options `O` references: `O.field`, else `M`'s primary key. */
type TargetField<M, O> = O extends { readonly field: infer N extends string } ? FieldsOf<M>[N & keyof FieldsOf<M>] : FieldsOf<M>[PrimaryKeyName<FieldsOf<M>>];

/**
 * The raw key a foreign key to `M` holds (`tweet.userId`, a `.dicts()` value): the type of the referenced field,
 * e.g. `number` for an `AutoField`, `bigint` for a `BigAutoField`. `Key` when the target is not known (`'self'`).
 */
export type TargetKey<M, O = {}> = IsAny<M> extends true ? Key : NonNullable<RawValueOf<TargetField<M, O>>>;

/** What a foreign key to `M` accepts as a key in writes and comparisons: the referenced field's input type. */
export type TargetKeyInput<M, O = {}> = IsAny<M> extends true ? Key : TargetField<M, O> extends { readonly __input?: infer I } ? NonNullable<I> : Key;

/** What a foreign key field reads (the related instance) and accepts (an instance or the key) as an expression. */
type RelatedValue<M, O> = Nullable<O, InstanceOf<M>>;
type RelatedInput<M, O> = Nullable<O, InstanceOf<M> | TargetKeyInput<M, O>>;
// `'self'` gives `any`, read as an unknown target (`Key`): `model()` replaces it where the model is known (`InModel`).
type ThunkResult<T> = T extends () => infer M ? M : any;
// Keyed on the model, not the thunk: TypeScript makes several copies of a thunk's type, and they share this.
type Compared<M, O> = Expression<unknown, RelatedInput<M, O>>;

/**
 * A foreign key field as typed for users: reads the related instance, accepts an instance or the target's key,
 * and its raw key (`<name>Id`, `.dicts()`) has the type of the target's key.
 *
 * `T` is the thunk itself, not its result: an interface whose base does not depend on the target, every type read
 * from it (its instance, its key) is a member type, which TypeScript computes only when it is read. Two models
 * referring to each other then compile without annotations: defining one does not need the other's fields (a
 * base of `Field<InstanceOf<M>>` would, and so would typing the thunk as `() => M`, see docs/types.md).
 */
// `out T`: TypeScript cannot measure a parameter read through conditional types and would compare two copies of
// one thunk's field type member by member; declared covariant (as the target is), it compares the thunks.
export interface ForeignKey<out T, O> extends ForeignKeyFieldImpl<unknown, unknown, RequiredOnInsert<O>>, ForeignKeyMark {
  /** Phantom: the thunk (or `'self'`, which `model()` replaces by the model being defined). */
  readonly __target?: T;
  readonly __type?: RelatedValue<ThunkResult<T>, O>;
  readonly __foreignKey?: Nullable<O, TargetKey<ThunkResult<T>, O>>;
  readonly __input?: RelatedInput<ThunkResult<T>, O>;
  eq: Compared<ThunkResult<T>, O>['eq'];
  ne: Compared<ThunkResult<T>, O>['ne'];
  lt: Compared<ThunkResult<T>, O>['lt'];
  lte: Compared<ThunkResult<T>, O>['lte'];
  gt: Compared<ThunkResult<T>, O>['gt'];
  gte: Compared<ThunkResult<T>, O>['gte'];
  in: Compared<ThunkResult<T>, O>['in'];
  notIn: Compared<ThunkResult<T>, O>['notIn'];
  between: Compared<ThunkResult<T>, O>['between'];
}

/**
 * A reference to another model. Takes a thunk so models may refer to each
 * other in any order, or `'self'`. The column is `<name>_id`; the raw key is
 * readable as `<name>Id` without a query. The thunk needs no type annotation, also when the target refers back.
 * `target` is typed by a conditional, not `() => M`: a parameter with a call signature would make TypeScript
 * read the thunk's body while the model is being defined (the target's fields, and so back: TS2506).
 *
 * @example user: ForeignKeyField(() => User, { backref: 'tweets', onDelete: 'CASCADE' })
 * // "user_id" integer NOT NULL REFERENCES "users" ("id") ON DELETE CASCADE
 */
export function ForeignKeyField<T extends object | 'self', const O extends ForeignKeyOptions = {}>(
  target: T extends 'self' | (() => any) ? T : never,
  options?: O,
): ForeignKey<T, O> {
  return new ForeignKeyFieldImpl(target as (() => AnyModelClass) | 'self', options ?? {}) as unknown as ForeignKey<T, O>;
}
