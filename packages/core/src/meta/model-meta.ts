import { INDEX_METHODS, oneOf, type SqlFragment, type TableNode, table } from '@pewit/query';
import type { Database } from '../database/database.js';
import type { CompositeKeySpec } from '../fields/composite-key.js';
import type { AnyField, FieldOwner } from '../fields/field.js';
import type { AnyModelClass } from '../model/types.js';

/** The index methods PostgreSQL ships (`CREATE INDEX … USING <method>`): the closed list @pewit/query checks. */
export type IndexMethod = (typeof INDEX_METHODS)[number];

/** A multi-column index declared in model options. */
export interface IndexSpec {
  readonly fields: readonly string[];
  readonly unique?: boolean;
  readonly name?: string;
  /**
   * The index method, `CREATE INDEX … USING gin (…)`: one of PostgreSQL's built-in
   * methods (`btree`, `hash`, `gist`, `spgist`, `gin`, `brin`), checked against that list; btree when left out.
   * @example indexes: [{ fields: ['tags'], using: 'gin' }] // CREATE INDEX "posts_tags_idx" ON "posts" USING gin ("tags")
   */
  readonly using?: IndexMethod;
  /**
   * A partial index: only rows where this SQL holds (DDL takes no parameters,
   * so it may interpolate none). `where: sql\`deleted_at IS NULL\``
   */
  readonly where?: SqlFragment;
}

/**
 * A table constraint declared in model options: a UNIQUE constraint over
 * several fields (property names), or a CHECK over several columns (trusted
 * SQL written by the developer). `name` gives the constraint's name; without
 * it the server names it.
 */
export type TableConstraint = { readonly unique: readonly string[]; readonly name?: string } | { readonly check: string; readonly name?: string };

/** Options of `model()`. */
export interface ModelOptions {
  /** The database queries of this model run on; `db.bind([Model])` sets it later. */
  readonly database?: Database;
  /** PostgreSQL schema of the table. */
  readonly schema?: string;
  readonly indexes?: readonly IndexSpec[];
  /**
   * Table constraints: `[{ unique: ['owner', 'slug'] }, { check: 'starts_at < ends_at', name: 'events_order' }]`.
   * `CREATE TABLE … UNIQUE ("owner_id", "slug"), CONSTRAINT "events_order" CHECK (starts_at < ends_at)`
   */
  readonly constraints?: readonly TableConstraint[];
  /** A primary key over several fields: `CompositeKey('student', 'course')`. */
  readonly primaryKey?: CompositeKeySpec;
  /**
   * A view, or a table the application must not write: no insert, update,
   * delete or save (in the types and at run time), and `createTables` /
   * `dropTables` leave it alone.
   */
  readonly readOnly?: boolean;
}

/** Everything pewit knows about a model: its table, fields and database. */
export class ModelMeta implements FieldOwner {
  /** Display name used in messages; becomes the user's class name once the class is used. */
  name: string;
  readonly table: string;
  readonly schema: string | undefined;
  readonly fields: readonly AnyField[];
  readonly byName: ReadonlyMap<string, AnyField>;
  /** The single primary-key field; `undefined` when there is none or the key is composite. */
  readonly primaryKey: AnyField | undefined;
  /** Every field of the primary key, in key order: one for a simple key, several for a CompositeKey, none without a key. */
  readonly keyFields: readonly AnyField[];
  readonly indexes: readonly IndexSpec[];
  readonly constraints: readonly TableConstraint[];
  /** True for `{ readOnly: true }` models (views, tables the application must not write). */
  readonly readOnly: boolean;
  database: Database | undefined;
  /** The class instances are built from: the user's subclass once it is known. */
  cls: AnyModelClass;
  readonly tableNode: TableNode;

  /** The class `model()` created; `cls` becomes the user's subclass of it. */
  readonly base: AnyModelClass;

  constructor(
    base: AnyModelClass,
    tableName: string,
    entries: readonly (readonly [string, AnyField])[],
    options: ModelOptions,
    columnName: (property: string, field: AnyField) => string,
  ) {
    this.base = base;
    this.cls = base;
    this.name = pascalCase(tableName);
    this.table = tableName;
    this.schema = options.schema;
    for (const [name, field] of entries) field.bind(this, name, columnName(name, field));
    const fields = entries.map(([, field]) => field);
    this.fields = fields;
    this.byName = new Map(fields.map((f) => [f.name, f]));
    const declared = fields.filter((f) => f.isPrimaryKey);
    if (declared.length > 1)
      throw new TypeError(
        `model('${tableName}'): ${declared.map((f) => f.name).join(' and ')} are both declared primaryKey; ` +
          `for a key over several fields use { primaryKey: CompositeKey(${declared.map((f) => `'${f.name}'`).join(', ')}) } in the model options`,
      );
    if (options.primaryKey) {
      if (declared.length)
        throw new TypeError(`model('${tableName}'): ${declared[0]?.name} is declared primaryKey but the model options also give a CompositeKey; keep one`);
      this.keyFields = options.primaryKey.fields.map((name) => {
        const field = this.byName.get(name);
        if (!field)
          throw new TypeError(
            `model('${tableName}'): CompositeKey names "${name}", which is not a field; its fields are ${[...this.byName.keys()].join(', ')}`,
          );
        return field;
      });
      this.primaryKey = undefined;
    } else {
      this.primaryKey = declared[0];
      this.keyFields = declared;
    }
    this.indexes = options.indexes ?? [];
    // Checked where the model is defined, so createTables() fails before its first statement.
    for (const index of this.indexes) if (index.using !== undefined) oneOf(`${this.name} index using`, index.using, INDEX_METHODS);
    this.constraints = options.constraints ?? [];
    this.readOnly = options.readOnly === true;
    this.database = options.database;
    this.tableNode = table(tableName, { schema: options.schema });
  }

  /** The database, or an error that says how to attach one. */
  requireDatabase(): Database {
    if (!this.database) {
      throw new Error(`${this.name} has no database: pass { database: db } as the third argument of model(), or call db.bind([${this.name}])`);
    }
    return this.database;
  }

  /** Refuses a write to a read-only model before any SQL is built. */
  requireWritable(action: string): void {
    if (this.readOnly)
      throw new TypeError(`${this.name} is read-only ({ readOnly: true } in its model options): it cannot ${action}; query it with ${this.name}.select()`);
  }

  /** True when the primary key is a CompositeKey. */
  get compositeKey(): boolean {
    return this.keyFields.length > 1;
  }

  /** The key fields, or an error that says the model has no primary key. */
  requireKeyFields(action: string): readonly AnyField[] {
    if (this.keyFields.length === 0) throw new Error(`${this.name} has no primary key, so it cannot ${action}; add one (e.g. id: AutoField())`);
    return this.keyFields;
  }

  requirePrimaryKey(action: string): AnyField {
    if (this.compositeKey)
      throw new Error(`${this.name} has a composite primary key (${this.keyFields.map((f) => f.name).join(', ')}), so it cannot ${action} by a single key`);
    if (!this.primaryKey) throw new Error(`${this.name} has no primary key, so it cannot ${action}; add one (e.g. id: AutoField())`);
    return this.primaryKey;
  }
}

function pascalCase(name: string): string {
  return name.replace(/(^|[_\s-]+)(\w)/g, (_m, _sep, c: string) => c.toUpperCase());
}
