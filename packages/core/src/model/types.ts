import type { AnyField, Field, PrimaryKeyBrand } from '../fields/field.js';
import type { FIELDS, PRIMARY_KEY } from '../meta/symbols.js';
import type { Model } from './model.js';

/** The field map passed to `model()`. */
export type Fields = Record<string, AnyField>;

/** Marker carried by foreign-key fields: `K` is the raw key they hold (`| null` when nullable), the type of `…Id`. */
export interface ForeignKeyBrand<K> {
  readonly __foreignKey?: K;
}

// Read from the phantom `__type`: inferring from `Field<infer T>` meets `any` in members of field classes and gives `any`.
type ValueOf<F> = F extends { readonly __type?: infer T } ? T : never;
type InputOf<F> = F extends Field<any, infer I, any> ? I : never;
type IsRequired<F> = F extends Field<any, any, infer R> ? R : false;

/**
 * The raw value a field holds in a row: a foreign key its target's key (`| null` when nullable), any other field
 * its value type. It is what `.dicts()`, `.tuples()` and `tweet.userId` give.
 */
export type RawValueOf<F> = F extends ForeignKeyBrand<infer K> ? K : ValueOf<F>;

/** The name of the field of `F` declared as the primary key (`AutoField()`, `{ primaryKey: true }`), `never` if none. */
export type PrimaryKeyName<F extends Fields> = { [K in keyof F]: F[K] extends PrimaryKeyBrand ? K : never }[keyof F];

/**
 * The value of a primary key: the key field's value, or a tuple in key order for a `CompositeKey` (names `P`);
 * `null` for a model without a key (`insert()` then resolves to `null`).
 * @example PrimaryKeyValue<{ id: Field<number> & PrimaryKeyBrand }> // number
 */
export type PrimaryKeyValue<F extends Fields, P = false> = P extends readonly string[]
  ? { -readonly [I in keyof P]: RawValueOf<F[P[I] & keyof F]> }
  : [PrimaryKeyName<F>] extends [never]
    ? null
    : RawValueOf<F[PrimaryKeyName<F>]>;

/** The primary key type of a model class: what `insert()` resolves to and `getById()` takes. @example KeyOf<typeof User> // number */
export type KeyOf<M> = M extends { readonly [FIELDS]?: infer F extends Fields; readonly [PRIMARY_KEY]?: infer P } ? PrimaryKeyValue<F, P> : unknown;

/** Values an instance carries, one property per field. */
export type FieldValues<F extends Fields> = { -readonly [K in keyof F]: ValueOf<F[K]> };

/** `tweet.userId`: the raw key of each foreign key, readable without a query. */
export type ForeignKeyIds<F extends Fields> = {
  -readonly [K in keyof F as F[K] extends ForeignKeyBrand<any> ? `${K & string}Id` : never]: RawValueOf<F[K]>;
};

/** What `create()`/`insert()` accept: required fields must be present. */
export type InsertData<F extends Fields> = {
  [K in keyof F as IsRequired<F[K]> extends true ? K : never]: InputOf<F[K]>;
} & {
  [K in keyof F as IsRequired<F[K]> extends true ? never : K]?: InputOf<F[K]>;
};

/** What `update()` and `new Model()` accept: any subset of the fields. */
export type UpdateData<F extends Fields> = { [K in keyof F]?: InputOf<F[K]> | { toNode(): unknown } };

/** An instance of a model defined with fields `F`. */
export type ModelInstance<F extends Fields> = Model & FieldValues<F> & ForeignKeyIds<F>;

/** Any model class, as generic code sees it. */
export type AnyModelClass = (abstract new (...args: any[]) => Model) & { readonly [FIELDS]?: Fields } & Omit<typeof Model, 'prototype'>;

/** The field map type of a model class. */
export type FieldsOf<M> = M extends { readonly [FIELDS]?: infer F } ? (F extends Fields ? F : never) : never;

/**
 * Names every model class already has: a function's own members (`name`,
 * `length`, `prototype`, `call`, …), what every object inherits, and the
 * statics of models. A field so named has no `Model.<field>` shorthand, only
 * `Model.c.<field>`.
 */
export type StaticMemberName =
  | keyof typeof Model
  | 'name'
  | 'length'
  | 'prototype'
  | 'apply'
  | 'call'
  | 'bind'
  | 'caller'
  | 'arguments'
  | 'constructor'
  | 'toString'
  | 'toLocaleString'
  | 'valueOf'
  | 'hasOwnProperty'
  | 'isPrototypeOf'
  | 'propertyIsEnumerable'
  | '__proto__'
  | '__defineGetter__'
  | '__defineSetter__'
  | '__lookupGetter__'
  | '__lookupSetter__';

/** `Model.c`: every column, typed, by field name. */
export type Columns<F extends Fields> = { readonly [K in keyof F]: F[K] & { readonly name: K } };

/** The static shorthand `Model.<field>`: every column whose name collides with nothing on the class. */
export type ColumnShorthands<F extends Fields> = {
  readonly [K in keyof F as K extends StaticMemberName ? never : K]: F[K] & { readonly name: K };
};

/** The composite key names of model options `O` (`{ primaryKey: CompositeKey('a', 'b') }`), `false` otherwise. */
export type CompositeKeyNames<O> = O extends { readonly primaryKey: { readonly fields: infer N extends readonly string[] } } ? N : false;

/** The class `model()` returns: a constructor, the columns (`c` and the shorthands), and the model statics. */
export type ModelClass<F extends Fields, P = false> = {
  new (data?: UpdateData<F>): ModelInstance<F>;
  readonly [FIELDS]?: F;
  readonly [PRIMARY_KEY]?: P;
  readonly c: Columns<F>;
} & ColumnShorthands<F> &
  Omit<typeof Model, 'prototype' | 'c'>;

/** The statics that write: on a read-only model they are typed `never`, so a call does not compile. */
export type WriteStaticName =
  | 'insert'
  | 'insertSync'
  | 'insertMany'
  | 'insertFrom'
  | 'create'
  | 'createSync'
  | 'update'
  | 'delete'
  | 'bulkUpdate'
  | 'getOrCreate'
  | 'getOrCreateSync'
  | 'createTable'
  | 'createTableSync'
  | 'dropTable'
  | 'dropTableSync'
  | 'truncate'
  | 'truncateSync';

/** The instance methods that write, typed `never` on instances of read-only models. */
export type WriteInstanceMethodName = 'save' | 'saveSync' | 'deleteInstance' | 'deleteInstanceSync';

/** An instance of a read-only model: its values, and no `save` or `deleteInstance`. */
export type ReadOnlyModelInstance<F extends Fields> = ModelInstance<F> & { readonly [K in WriteInstanceMethodName]: never };

/** The class `model()` returns for `{ readOnly: true }`: a model without writes, in the types as at run time. */
export type ReadOnlyModelClass<F extends Fields, P = false> = {
  new (data?: UpdateData<F>): ReadOnlyModelInstance<F>;
  readonly [FIELDS]?: F;
  readonly [PRIMARY_KEY]?: P;
  readonly c: Columns<F>;
} & ColumnShorthands<F> &
  Omit<typeof Model, 'prototype' | 'c'> & { readonly [K in WriteStaticName]: never };
