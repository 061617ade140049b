import type { TypedOperand } from '../expressions/expression.js';
import type { AnyField, PrimaryKeyBrand } from '../fields/field.js';
import type { ForeignKey } from '../fields/foreign-key-field.js';
import type { FIELDS, PRIMARY_KEY } from '../meta/symbols.js';
import type { Model } from './model.js';

/** The field map passed to `model()`. */
export type Fields = Record<string, AnyField>;

/**
 * What `model()` and generic code check a field by: members that do not depend on the field's value type. A foreign
 * key's value type is its target's instance, and checking it while a model is defined would need the target's
 * fields, whose foreign keys may point back (two models referring to each other would not compile).
 */
export type FieldShape = Pick<AnyField, 'sqlType' | 'columnName' | 'options' | 'bind'>;
/** A field map as `model()` checks it (see `FieldShape`). @example FieldShapes extends FieldsOf<typeof User> ? 'yes' : 'no' // 'yes' */
export type FieldShapes = Record<string, FieldShape>;

/** Marker carried by foreign-key fields: `K` is the raw key they hold (`| null` when nullable), the type of `…Id`. */
export interface ForeignKeyBrand<K> {
  readonly __foreignKey?: K;
}

/**
 * Marker every foreign-key field carries whatever its target: telling a foreign key from a column must not read the
 * target's key (`ForeignKeyBrand<any>` would), or a model's definition would need the models it refers to.
 */
export interface ForeignKeyMark {
  readonly __isForeignKey?: true;
}

// Read from the phantom `__type`: inferring from `Field<infer T>` meets `any` in members of field classes and gives `any`.
type ValueOf<F> = F extends { readonly __type?: infer T } ? T : never;
// Phantoms too: inferring from `Field<any, infer I>` walks every member of the field (for a foreign key, its target's).
type InputOf<F> = F extends { readonly __input?: infer I } ? I : never;
type IsRequired<F> = F extends { readonly __required?: infer R } ? R : false;

/**
 * The raw value a field holds in a row: a foreign key its target's key (`| null` when nullable), any other field
 * its value type. It is what `.dicts()`, `.tuples()` and `tweet.userId` give.
 */
export type RawValueOf<F> = F extends ForeignKeyBrand<infer K> ? K : ValueOf<F>;

/** The name of the field of `F` declared as the primary key (`AutoField()`, `{ primaryKey: true }`), `never` if none. */
export type PrimaryKeyName<F extends FieldShapes> = { [K in keyof F]: F[K] extends PrimaryKeyBrand ? K : never }[keyof F];

/**
 * The value of a primary key: the key field's value, or a tuple in key order for a `CompositeKey` (names `P`);
 * `null` for a model without a key (`insert()` then resolves to `null`).
 * @example PrimaryKeyValue<{ id: Field<number> & PrimaryKeyBrand }> // number
 */
export type PrimaryKeyValue<F extends FieldShapes, P = false> = P extends readonly string[]
  ? { -readonly [I in keyof P]: RawValueOf<F[P[I] & keyof F]> }
  : [PrimaryKeyName<F>] extends [never]
    ? null
    : RawValueOf<F[PrimaryKeyName<F>]>;

/** The primary key type of a model class: what `insert()` resolves to and `getById()` takes. @example KeyOf<typeof User> // number */
export type KeyOf<M> = M extends { readonly [FIELDS]?: infer F extends FieldShapes; readonly [PRIMARY_KEY]?: infer P } ? PrimaryKeyValue<F, P> : unknown;

/** Values an instance carries, one property per field. */
export type FieldValues<F extends FieldShapes> = { -readonly [K in keyof F]: ValueOf<InModel<F[K], F>> };

/** `tweet.userId`: the raw key of each foreign key, readable without a query. */
export type ForeignKeyIds<F extends FieldShapes> = {
  -readonly [K in keyof F as F[K] extends ForeignKeyMark ? `${K & string}Id` : never]: RawValueOf<InModel<F[K], F>>;
};

/** What `create()`/`insert()` accept: required fields must be present. */
export type InsertData<F extends FieldShapes> = {
  [K in keyof F as IsRequired<F[K]> extends true ? K : never]: InputOf<InModel<F[K], F>>;
} & {
  [K in keyof F as IsRequired<F[K]> extends true ? never : K]?: InputOf<InModel<F[K], F>>;
};

/**
 * An expression a write may give a field instead of a value: one of the field's value type (`fn.now()` for a
 * timestamp, `Post.views.add(1)`, a key expression for a foreign key), or SQL that carries no type (`sql\`…\``,
 * a subquery). `Post.update({ views: Post.title })` does not compile.
 * @example Post.update({ views: Post.views.add(1), editedAt: fn.now() }) // SET "views" = ("posts"."views" + $1), "edited_at" = now()
 */
export type WriteExpression<X> = TypedOperand<NonNullable<RawValueOf<X>>>;

/**
 * What `insert()` accepts: `InsertData`, where each value may also be an expression of the field's type.
 * @example Stamp.insert({ at: fn.now() }) // INSERT INTO "stamps" ("at") VALUES (now()) RETURNING "stamps"."id"
 */
export type InsertValues<F extends FieldShapes> = {
  [K in keyof F as IsRequired<F[K]> extends true ? K : never]: InputOf<InModel<F[K], F>> | WriteExpression<InModel<F[K], F>>;
} & {
  [K in keyof F as IsRequired<F[K]> extends true ? never : K]?: InputOf<InModel<F[K], F>> | WriteExpression<InModel<F[K], F>>;
};

/** What `update()` and `new Model()` accept: any subset of the fields, each a value or an expression of its type. */
export type UpdateData<F extends FieldShapes> = { [K in keyof F]?: InputOf<InModel<F[K], F>> | WriteExpression<InModel<F[K], F>> };

/** An instance of a model defined with fields `F`. */
export type ModelInstance<F extends FieldShapes> = Model & FieldValues<F> & ForeignKeyIds<F>;

/** Any model class, as generic code sees it. */
export type AnyModelClass = (abstract new (...args: any[]) => Model) & { readonly [FIELDS]?: FieldShapes } & Omit<typeof Model, 'prototype'>;

/** The field map type of a model class. */
// An indexed access, not `infer`: inferring checks the class against the inferred map again, field by field.
export type FieldsOf<M> = M extends { readonly [FIELDS]?: FieldShapes } ? Exclude<M[typeof FIELDS & keyof M], undefined> : never;

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
export type Columns<F extends FieldShapes> = { readonly [K in keyof F]: InModel<F[K], F> & { readonly name: K } };

/** The static shorthand `Model.<field>`: every column whose name collides with nothing on the class. */
export type ColumnShorthands<F extends FieldShapes> = {
  readonly [K in keyof F as K extends StaticMemberName ? never : K]: InModel<F[K], F> & { readonly name: K };
};

/** The composite key names of model options `O` (`{ primaryKey: CompositeKey('a', 'b') }`), `false` otherwise. */
export type CompositeKeyNames<O> = O extends { readonly primaryKey: { readonly fields: infer N extends readonly string[] } } ? N : false;

/**
 * A model as its own foreign keys see it: what `model()` builds from `F` (its instances and fields). The class
 * itself cannot be named inside its own definition; this is the same type without the class body's members.
 */
export interface SelfModel<F extends FieldShapes> {
  new (): ModelInstance<F>;
  readonly [FIELDS]?: F;
}

/**
 * Field `X` of the model `F` defines, with `ForeignKeyField('self')` pointing at that model. Applied where a field
 * is read (a mapped type's property), so that a model without self-references pays one check per property read,
 * not one per field at its definition.
 */
export type InModel<X, F extends FieldShapes> = X extends SelfTarget ? (X extends ForeignKey<'self', infer O> ? ForeignKey<() => SelfModel<F>, O> : X) : X;

/** A foreign key declared `ForeignKeyField('self')` (a weak type: checking it reads one property). */
interface SelfTarget {
  readonly __target?: 'self';
}

/** The class `model()` returns: a constructor, the columns (`c` and the shorthands), and the model statics. */
export type ModelClass<F extends FieldShapes, P = false> = {
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
export type ReadOnlyModelInstance<F extends FieldShapes> = ModelInstance<F> & { readonly [K in WriteInstanceMethodName]: never };

/** The class `model()` returns for `{ readOnly: true }`: a model without writes, in the types as at run time. */
export type ReadOnlyModelClass<F extends FieldShapes, P = false> = {
  new (data?: UpdateData<F>): ReadOnlyModelInstance<F>;
  readonly [FIELDS]?: F;
  readonly [PRIMARY_KEY]?: P;
  readonly c: Columns<F>;
} & ColumnShorthands<F> &
  Omit<typeof Model, 'prototype' | 'c'> & { readonly [K in WriteStaticName]: never };
