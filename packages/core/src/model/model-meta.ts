import { type TableNode, table } from '@pewit/query';
import type { Database } from '../database/database.js';
import type { AnyField, FieldOwner } from '../fields/field.js';
import type { AnyModelClass } from './types.js';

/** A multi-column index declared in model options. */
export interface IndexSpec {
  readonly fields: readonly string[];
  readonly unique?: boolean;
  readonly name?: string;
}

/** Options of `model()`. */
export interface ModelOptions {
  /** The database queries of this model run on; `db.bind([Model])` sets it later. */
  readonly database?: Database;
  /** PostgreSQL schema of the table. */
  readonly schema?: string;
  readonly indexes?: readonly IndexSpec[];
}

/** Everything pewit knows about a model: its table, fields and database. */
export class ModelMeta implements FieldOwner {
  /** Display name used in messages; becomes the user's class name once the class is used. */
  name: string;
  readonly table: string;
  readonly schema: string | undefined;
  readonly fields: readonly AnyField[];
  readonly byName: ReadonlyMap<string, AnyField>;
  readonly primaryKey: AnyField | undefined;
  readonly indexes: readonly IndexSpec[];
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
    this.primaryKey = fields.find((f) => f.isPrimaryKey);
    this.indexes = options.indexes ?? [];
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

  requirePrimaryKey(action: string): AnyField {
    if (!this.primaryKey) throw new Error(`${this.name} has no primary key, so it cannot ${action}; add one (e.g. id: AutoField())`);
    return this.primaryKey;
  }
}

function pascalCase(name: string): string {
  return name.replace(/(^|[_\s-]+)(\w)/g, (_m, _sep, c: string) => c.toUpperCase());
}
