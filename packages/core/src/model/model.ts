import { DoesNotExist } from '../errors/usage-errors.js';
import { describe } from '../evaluation/description.js';
import type { ConditionOperand } from '../expressions/expression.js';
import type { AnyField } from '../fields/field.js';
import { ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';
import { aliasModel, type ModelAlias } from '../links/model-alias.js';
import { hasDirty } from '../meta/dirty.js';
import { LoadedValues } from '../meta/instantiate.js';
import type { ModelMeta } from '../meta/model-meta.js';
import { DIRTY, PERSISTED, RELATED, VALUES } from '../meta/symbols.js';
import { fieldForKey } from '../query/assignments.js';
import { type BulkUpdateOptions, BulkUpdateQuery } from '../query/bulk-update-query.js';
import { InsertFromQuery } from '../query/insert-from-query.js';
import type { RowSource } from '../query/row-source.js';
import type { DictRow, InstanceRow, TupleRow } from '../query/row-types.js';
import { SelectQuery } from '../query/select-query.js';
import type { Selectable } from '../query/selection.js';
import { DeleteQuery, type InsertManyOptions, InsertQuery, UpdateQuery } from '../query/write-queries.js';
import { resolvePendingBackrefs } from '../relations/backrefs.js';
import { loadRelation } from '../relations/foreign-key-loading.js';
import type { TruncateOptions } from '../schema/ddl.js';
import { type CreateTablesOptions, type DropTablesOptions, truncateProgram } from '../schema/schema-programs.js';
import { getOrCreateProgram } from './get-or-create.js';
import { installInspect } from './inspect.js';
import { keyLookup } from './key-conditions.js';
import { type DeleteInstanceOptions, deleteInstance, insertInstance, refreshInstance, saveInstance } from './persistence.js';
import type { AnyModelClass, FieldShape, FieldsOf, InsertData, InsertValues, KeyOf, UpdateData } from './types.js';

/** Records the user's subclass as the class rows are built from. */
export function register(cls: AnyModelClass): ModelMeta {
  resolvePendingBackrefs();
  const meta = cls._meta;
  if (meta.cls === meta.base && cls !== meta.base) {
    meta.cls = cls;
    meta.name = cls.name || meta.name;
  }
  return meta;
}

/** The database of a model whose table pewit may create or drop (not a read-only model). */
function ownTable(cls: AnyModelClass, action: string) {
  const meta = register(cls);
  meta.requireWritable(action);
  return meta.requireDatabase();
}

type Instance<M> = M extends abstract new (...args: any[]) => infer I ? I : never;

/** The names of an instance's relations, whose values are instances of models: what `load()` takes. */
export type RelationName<I> = { [P in keyof I]-?: NonNullable<I[P]> extends Model ? P : never }[keyof I] & string;

/**
 * The base of every model; `model()` creates the class you extend. Statics
 * build queries, instances carry values.
 */
export abstract class Model {
  /** pewit's metadata of this model (peewee's `_meta`): table, schema, fields, primary key, indexes, database. */
  declare static readonly _meta: ModelMeta;
  /**
   * Every column of the model by field name, whatever the name (`User.c.name`).
   * @example await User.select().where(User.c.name.eq('Ada')) // SELECT … WHERE ("users"."name" = $1)
   */
  // Typed by shape, as `model()` checks fields: comparing a model class with `AnyModelClass` then reads no column's value type.
  declare static readonly c: Readonly<Record<string, FieldShape>>;
  /** Thrown by `get()` when no row matches; each model has its own subclass. */
  static DoesNotExist: typeof DoesNotExist = DoesNotExist;

  declare [VALUES]: Record<string, unknown>;
  declare [DIRTY]: Set<string> | undefined;
  declare [PERSISTED]: boolean;
  declare [RELATED]: Record<string, unknown>;

  constructor(data?: object) {
    const meta = register(new.target as unknown as AnyModelClass);
    this[RELATED] = {};
    this[DIRTY] = undefined;
    if (data instanceof LoadedValues) {
      this[VALUES] = data.values;
      this[PERSISTED] = true;
      return;
    }
    this[VALUES] = {};
    this[PERSISTED] = false;
    const given = new Set(Object.keys(data ?? {}).map((k) => fieldForKey(meta, k)));
    for (const field of meta.fields) {
      if (given.has(field)) continue;
      const d = field.defaultValue();
      if (d !== undefined) (this as Record<string, unknown>)[field.name] = d;
    }
    for (const [key, v] of Object.entries(data ?? {})) {
      if (v !== undefined) (this as Record<string, unknown>)[key] = v;
    }
  }

  // ── statics: queries ──────────────────────────────────────────────

  /**
   * This model under another name, to join its table twice or to itself;
   * its fields are columns of the alias, its rows instances of this model.
   * @example const Author = User.alias('author'); Post.select(Post, Author).join(Author, { on: Post.author.eq(Author.id) }) // … INNER JOIN "users" AS "author" ON ("posts"."author_id" = "author"."id")
   */
  static alias<M extends AnyModelClass>(this: M, name: string): ModelAlias<M> {
    register(this);
    return aliasModel(this, name);
  }

  /**
   * A lazy SELECT of this model (all fields by default).
   * @example await User.select().where(User.username.eq('alice')) // SELECT "users"."id", … FROM "users" WHERE ("users"."username" = $1)
   */
  static select<M extends AnyModelClass, const S extends readonly Selectable[] = []>(
    this: M,
    ...selection: S
  ): SelectQuery<InstanceRow<Instance<M>, S>, DictRow<S, M>, TupleRow<S>, S> {
    register(this);
    return SelectQuery.from(this, selection) as unknown as SelectQuery<InstanceRow<Instance<M>, S>, DictRow<S, M>, TupleRow<S>, S>;
  }

  /**
   * INSERT … SELECT: inserts the rows of `query` into `fields` (in order); resolves to the row count.
   * @example await Archive.insertFrom(Tweet.select(Tweet.content), [Archive.content]) // INSERT INTO "archive" ("content") SELECT "tweets"."content" FROM "tweets"
   */
  static insertFrom<M extends AnyModelClass>(
    this: M,
    query: RowSource,
    fields: readonly (AnyField | (keyof FieldsOf<M> & string))[],
  ): InsertFromQuery<number, Instance<M>> {
    register(this);
    return InsertFromQuery.create<Instance<M>>(this, query, fields);
  }

  /**
   * Writes `fields` of many saved instances, one UPDATE … CASE per batch; resolves to the rows updated.
   * @example await User.bulkUpdate(users, ['email']) // UPDATE "users" SET "email" = CASE "users"."id" WHEN $1 THEN $2::text … END WHERE "users"."id" IN (…)
   */
  static bulkUpdate<M extends AnyModelClass>(
    this: M,
    instances: readonly Instance<M>[],
    fields: readonly (AnyField | (keyof FieldsOf<M> & string))[],
    options?: BulkUpdateOptions,
  ): BulkUpdateQuery {
    register(this);
    return new BulkUpdateQuery(this, instances as readonly Model[], fields, options);
  }

  /**
   * INSERT of one row; resolves to its primary key.
   * @example const id = await User.insert({ username: 'bob' }) // INSERT INTO "users" (…) VALUES (…) RETURNING "users"."id"
   */
  static insert<M extends AnyModelClass>(this: M, data: InsertValues<FieldsOf<M>>): InsertQuery<KeyOf<M>, Instance<M>, true> {
    register(this);
    return new InsertQuery<KeyOf<M>, Instance<M>, true>(this, { rows: [data as Record<string, unknown>], mode: 'key' });
  }

  /** Blocking twin of `insert(...)`. */
  static insertSync<M extends AnyModelClass>(this: M, data: InsertValues<FieldsOf<M>>): KeyOf<M> {
    return ((this as typeof Model).insert as (this: AnyModelClass, data: never) => InsertQuery<unknown>).call(this, data as never).executeSync() as KeyOf<M>;
  }

  /**
   * One INSERT of every row, with one array parameter per column (or multi-row `VALUES` where a row needs it, split
   * at PostgreSQL's parameter limit), or one per `batchSize` rows; resolves to the row count.
   * The statements of several batches are not wrapped in a transaction (as in peewee): use `db.atomic()` for that.
   * @example await User.insertMany([{ username: 'a' }, { username: 'b' }]) // INSERT INTO "users" ("username", "is_admin") SELECT * FROM unnest($1::varchar(50)[], $2::boolean[])
   * @example await User.insertMany(rows, { batchSize: 100 }) // one INSERT per 100 rows
   */
  static insertMany<M extends AnyModelClass>(
    this: M,
    rows: readonly InsertData<FieldsOf<M>>[],
    options: InsertManyOptions = {},
  ): InsertQuery<number, Instance<M>> {
    register(this);
    return new InsertQuery<number, Instance<M>>(this, { rows: rows as readonly Record<string, unknown>[], mode: 'count' }, options);
  }

  /**
   * A lazy UPDATE; resolves to the number of rows changed.
   * @example await Tweet.update({ likes: Tweet.likes.add(1) }).where(Tweet.id.eq(7))
   */
  static update<M extends AnyModelClass>(this: M, data: UpdateData<FieldsOf<M>>): UpdateQuery<number, Instance<M>> {
    register(this);
    return new UpdateQuery<number, Instance<M>>(this, { data: data as Record<string, unknown> });
  }

  /**
   * A lazy DELETE; resolves to the number of rows deleted.
   * @example await User.delete().where(User.isAdmin.eq(false)) // DELETE FROM "users" WHERE …
   */
  static delete<M extends AnyModelClass>(this: M): DeleteQuery<number, Instance<M>> {
    register(this);
    return new DeleteQuery<number, Instance<M>>(this);
  }

  /**
   * Creates, validates and INSERTs an instance; resolves to it with its key.
   * @example const alice = await User.create({ username: 'alice' }) // INSERT … RETURNING "users"."id", …
   */
  static async create<M extends AnyModelClass>(this: M, data: InsertData<FieldsOf<M>>): Promise<Instance<M>> {
    const meta = register(this);
    const instance = new (this as unknown as new (d: unknown) => Model)(data);
    await meta.requireDatabase().evaluate(insertInstance(instance), describe('await', `${meta.name}.create()`));
    return instance as Instance<M>;
  }

  /** Blocking twin of `create`. */
  static createSync<M extends AnyModelClass>(this: M, data: InsertData<FieldsOf<M>>): Instance<M> {
    const meta = register(this);
    const instance = new (this as unknown as new (d: unknown) => Model)(data);
    meta.requireDatabase().evaluateSync(insertInstance(instance), describe('createSync', `${meta.name}.createSync()`, `await ${meta.name}.create(…)`));
    return instance as Instance<M>;
  }

  /**
   * The one row matching the conditions; throws `Model.DoesNotExist` when none does.
   * @example await User.get(User.username.eq('alice'))
   */
  static get<M extends AnyModelClass>(this: M, ...conditions: ConditionOperand[]): Promise<Instance<M>> {
    return (this as typeof Model).select
      .call(this)
      .where(...conditions)
      .get() as Promise<Instance<M>>;
  }
  /** Blocking twin of `get`. */
  static getSync<M extends AnyModelClass>(this: M, ...conditions: ConditionOperand[]): Instance<M> {
    return (this as typeof Model).select
      .call(this)
      .where(...conditions)
      .getSync() as Instance<M>;
  }
  /** The first matching row, or `null`. */
  static getOrNone<M extends AnyModelClass>(this: M, ...conditions: ConditionOperand[]): Promise<Instance<M> | null> {
    return (this as typeof Model).select
      .call(this)
      .where(...conditions)
      .getOrNone() as Promise<Instance<M> | null>;
  }
  /** Blocking twin of `getOrNone`. */
  static getOrNoneSync<M extends AnyModelClass>(this: M, ...conditions: ConditionOperand[]): Instance<M> | null {
    return (this as typeof Model).select
      .call(this)
      .where(...conditions)
      .getOrNoneSync() as Instance<M> | null;
  }
  /**
   * The row with this primary key (a tuple or an object for a CompositeKey); throws `Model.DoesNotExist` when missing.
   * @example await User.getById(1) // SELECT … FROM "users" WHERE "users"."id" = $1 LIMIT $2
   */
  static getById<M extends AnyModelClass>(this: M, key: unknown): Promise<Instance<M>> {
    return (this as typeof Model).get.call(this, ...keyLookup(register(this), key)) as Promise<Instance<M>>;
  }
  /** Blocking twin of `getById`. */
  static getByIdSync<M extends AnyModelClass>(this: M, key: unknown): Instance<M> {
    return (this as typeof Model).getSync.call(this, ...keyLookup(register(this), key)) as Instance<M>;
  }

  /**
   * Returns `[instance, created]`: the row matching `lookup`, or a new one made
   * from `lookup` and `defaults`. Safe when callers race on a unique lookup:
   * the INSERT uses ON CONFLICT DO NOTHING and re-reads the winner's row.
   * @example const [user, created] = await User.getOrCreate({ username: 'alice' }, { email: null })
   */
  static getOrCreate<M extends AnyModelClass>(
    this: M,
    lookup: UpdateData<FieldsOf<M>>,
    defaults: UpdateData<FieldsOf<M>> = {},
  ): Promise<[Instance<M>, boolean]> {
    const meta = register(this);
    return meta.requireDatabase().evaluate(getOrCreateProgram(this, lookup, defaults), describe('await', `${meta.name}.getOrCreate()`)) as Promise<
      [Instance<M>, boolean]
    >;
  }
  /** Blocking twin of `getOrCreate`. */
  static getOrCreateSync<M extends AnyModelClass>(this: M, lookup: UpdateData<FieldsOf<M>>, defaults: UpdateData<FieldsOf<M>> = {}): [Instance<M>, boolean] {
    const meta = register(this);
    return meta
      .requireDatabase()
      .evaluateSync(
        getOrCreateProgram(this, lookup, defaults),
        describe('getOrCreateSync', `${meta.name}.getOrCreateSync()`, `await ${meta.name}.getOrCreate(…)`),
      ) as [Instance<M>, boolean];
  }

  /** CREATE TABLE for this model (with its indexes). @example await User.createTable({ safe: true }) */
  static async createTable<M extends AnyModelClass>(this: M, options: CreateTablesOptions = {}): Promise<void> {
    return ownTable(this, 'be created as a table').createTables([this], options);
  }
  /** Blocking twin of `createTable`. */
  static createTableSync<M extends AnyModelClass>(this: M, options: CreateTablesOptions = {}): void {
    ownTable(this, 'be created as a table').createTablesSync([this], options);
  }
  /** DROP TABLE for this model. */
  static async dropTable<M extends AnyModelClass>(this: M, options: DropTablesOptions = {}): Promise<void> {
    return ownTable(this, 'be dropped').dropTables([this], options);
  }
  /** Blocking twin of `dropTable`. */
  static dropTableSync<M extends AnyModelClass>(this: M, options: DropTablesOptions = {}): void {
    ownTable(this, 'be dropped').dropTablesSync([this], options);
  }
  /** Empties the table. @example await User.truncate({ restartIdentity: true, cascade: true }) // TRUNCATE TABLE "users" RESTART IDENTITY CASCADE */
  static truncate<M extends AnyModelClass>(this: M, options: TruncateOptions = {}): Promise<void> {
    const meta = register(this);
    return meta.requireDatabase().evaluate(truncateProgram(meta, options), describe('await', `${meta.name}.truncate()`));
  }
  /** Blocking twin of `truncate`. */
  static truncateSync<M extends AnyModelClass>(this: M, options: TruncateOptions = {}): void {
    const meta = register(this);
    meta
      .requireDatabase()
      .evaluateSync(truncateProgram(meta, options), describe('truncateSync', `${meta.name}.truncateSync()`, `await ${meta.name}.truncate()`));
  }

  // ── instance lifecycle ─────────────────────────────────────────────

  #meta(): ModelMeta {
    return (this.constructor as AnyModelClass)._meta;
  }

  /**
   * INSERT when new, otherwise UPDATE of the changed fields only (no
   * statement when nothing changed). Resolves to the rows written.
   * @example tweet.likes += 1; await tweet.save() // UPDATE "tweets" SET "likes" = $1 WHERE ("tweets"."id" = $2)
   */
  save(options: { only?: readonly string[] } = {}): Promise<number> {
    const meta = this.#meta();
    return meta.requireDatabase().evaluate(saveInstance(this, options), describe('await', `${meta.name}#save()`));
  }
  /** Blocking twin of `save`. */
  saveSync(options: { only?: readonly string[] } = {}): number {
    const meta = this.#meta();
    return meta.requireDatabase().evaluateSync(saveInstance(this, options), describe('saveSync', `${meta.name}#saveSync()`, 'await instance.save()'));
  }

  /**
   * DELETE this row; with `{ recursive: true }` the rows referencing it first (nullable references are set to NULL).
   * @example await user.deleteInstance({ recursive: true }) // DELETE FROM "tweets" WHERE "tweets"."user_id" IN (SELECT "users"."id" FROM "users" WHERE …); DELETE FROM "users" WHERE "users"."id" = $1
   */
  deleteInstance(options: DeleteInstanceOptions = {}): Promise<number> {
    const meta = this.#meta();
    return meta.requireDatabase().evaluate(deleteInstance(this, options), describe('await', `${meta.name}#deleteInstance()`));
  }
  /** Blocking twin of `deleteInstance`. */
  deleteInstanceSync(options: DeleteInstanceOptions = {}): number {
    const meta = this.#meta();
    return meta
      .requireDatabase()
      .evaluateSync(deleteInstance(this, options), describe('deleteInstanceSync', `${meta.name}#deleteInstanceSync()`, 'await instance.deleteInstance()'));
  }

  /** Reloads every field from the database, dropping unsaved changes. */
  async refresh(): Promise<this> {
    const meta = this.#meta();
    await meta.requireDatabase().evaluate(refreshInstance(this), describe('await', `${meta.name}#refresh()`));
    return this;
  }
  /** Blocking twin of `refresh`. */
  refreshSync(): this {
    const meta = this.#meta();
    meta.requireDatabase().evaluateSync(refreshInstance(this), describe('refreshSync', `${meta.name}#refreshSync()`, 'await instance.refresh()'));
    return this;
  }

  /**
   * Loads a relation (a foreign key's name) asynchronously and caches it on the instance; resolves to the
   * related instance (`| null` for a nullable foreign key).
   * @example const author = await tweet.load('user') // SELECT … FROM "users" WHERE ("users"."id" = $1) LIMIT $2
   */
  load<K extends RelationName<this>>(name: K): Promise<this[K]> {
    return loadRelation(this, name) as Promise<this[K]>;
  }

  /** True when a field changed since the last load or save. */
  isDirty(): boolean {
    return hasDirty(this);
  }

  /** Plain data: field values by property name (foreign keys as raw keys), plus loaded relations. */
  toJSON(): Record<string, unknown> {
    const meta = this.#meta();
    const out: Record<string, unknown> = {};
    for (const field of meta.fields) {
      const v = this[VALUES][field.name];
      if (field instanceof ForeignKeyFieldImpl) {
        out[`${field.name}Id`] = v ?? null;
        const related = this[RELATED][field.name];
        if (related !== undefined) out[field.name] = related === null ? null : (related as Model).toJSON();
      } else {
        out[field.name] = typeof v === 'bigint' ? v.toString() : (v ?? null);
      }
    }
    for (const [key, v] of Object.entries(this)) out[key] = v;
    return out;
  }
}

installInspect(Model);
