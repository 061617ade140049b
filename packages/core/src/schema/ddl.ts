import { oneOf, quoteIdentifier as q } from '@pewit/query';
import type { AnyField } from '../fields/field.js';
import { ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';
import type { ModelMeta } from '../model/model-meta.js';
import { META } from '../model/symbols.js';

const REFERENTIAL_ACTIONS = ['CASCADE', 'SET NULL', 'SET DEFAULT', 'RESTRICT', 'NO ACTION'] as const;

const tableRef = (meta: ModelMeta) => (meta.schema ? `${q(meta.schema)}.${q(meta.table)}` : q(meta.table));

function references(field: ForeignKeyFieldImpl): string {
  const target = field.target[META];
  let sql = `REFERENCES ${tableRef(target)} (${q(field.targetField.columnName)})`;
  // Written as SQL words, so checked against the referential actions PostgreSQL has.
  if (field.fkOptions.onDelete) sql += ` ON DELETE ${oneOf(`${field.name} onDelete`, field.fkOptions.onDelete, REFERENTIAL_ACTIONS)}`;
  if (field.fkOptions.onUpdate) sql += ` ON UPDATE ${oneOf(`${field.name} onUpdate`, field.fkOptions.onUpdate, REFERENTIAL_ACTIONS)}`;
  return sql;
}

function columnDefinition(field: AnyField, inlineReferences: boolean, compositeKey: boolean): string {
  const parts = [q(field.columnName), field.sqlType];
  if (field.isPrimaryKey) parts.push('PRIMARY KEY');
  else if (!field.nullable || compositeKey) parts.push('NOT NULL');
  if (field.options.unique && !field.isPrimaryKey) parts.push('UNIQUE');
  if (field.options.check) parts.push(`CHECK (${field.options.check})`);
  if (inlineReferences && field instanceof ForeignKeyFieldImpl) parts.push(references(field));
  return parts.join(' ');
}

/**
 * CREATE TABLE for a model. Foreign keys whose target is in `deferred` (a
 * dependency cycle) are left out and added later by `addForeignKeys`.
 */
export function createTableSql(meta: ModelMeta, options: { safe?: boolean; deferred?: ReadonlySet<ModelMeta> } = {}): string {
  const defer = options.deferred ?? new Set();
  const columns = meta.fields.map((f) =>
    columnDefinition(f, !(f instanceof ForeignKeyFieldImpl && defer.has(f.target[META])), meta.compositeKey && meta.keyFields.includes(f)),
  );
  if (meta.compositeKey) columns.push(`PRIMARY KEY (${meta.keyFields.map((f) => q(f.columnName)).join(', ')})`);
  return `CREATE TABLE ${options.safe ? 'IF NOT EXISTS ' : ''}${tableRef(meta)} (${columns.join(', ')})`;
}

/** ALTER TABLE … ADD FOREIGN KEY for references left out of CREATE TABLE because of a cycle. */
export function addForeignKeysSql(meta: ModelMeta, deferred: ReadonlySet<ModelMeta>): string[] {
  return meta.fields
    .filter((f): f is ForeignKeyFieldImpl => f instanceof ForeignKeyFieldImpl && deferred.has(f.target[META]))
    .map((f) => `ALTER TABLE ${tableRef(meta)} ADD CONSTRAINT ${q(`${meta.table}_${f.columnName}_fkey`)} FOREIGN KEY (${q(f.columnName)}) ${references(f)}`);
}

/** CREATE INDEX for `index: true` fields, foreign keys, and the model's `indexes` option. */
export function createIndexesSql(meta: ModelMeta, options: { safe?: boolean } = {}): string[] {
  const out: string[] = [];
  const ifNotExists = options.safe ? 'IF NOT EXISTS ' : '';
  const add = (columns: readonly AnyField[], unique: boolean, name?: string) => {
    const indexName = name ?? `${meta.table}_${columns.map((c) => c.columnName).join('_')}${unique ? '_key' : '_idx'}`;
    out.push(`CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${ifNotExists}${q(indexName)} ON ${tableRef(meta)} (${columns.map((c) => q(c.columnName)).join(', ')})`);
  };
  for (const field of meta.fields) {
    if (field.isPrimaryKey || field.options.unique) continue;
    if (field.options.index || field instanceof ForeignKeyFieldImpl) add([field], false);
  }
  for (const index of meta.indexes) {
    const columns = index.fields.map((name) => {
      const field = meta.byName.get(name);
      if (!field) throw new TypeError(`${meta.name}: index field "${name}" is not a field of the model`);
      return field;
    });
    add(columns, index.unique === true, index.name);
  }
  return out;
}

export function dropTableSql(meta: ModelMeta, options: { safe?: boolean; cascade?: boolean } = {}): string {
  return `DROP TABLE ${options.safe ? 'IF EXISTS ' : ''}${tableRef(meta)}${options.cascade ? ' CASCADE' : ''}`;
}

/** Options of `Model.truncate()`. */
export interface TruncateOptions {
  /** `RESTART IDENTITY`: serial keys start again from 1. */
  readonly restartIdentity?: boolean;
  /** `CASCADE`: also empty the tables that reference this one. */
  readonly cascade?: boolean;
}

export function truncateTableSql(meta: ModelMeta, options: TruncateOptions = {}): string {
  return `TRUNCATE TABLE ${tableRef(meta)}${options.restartIdentity ? ' RESTART IDENTITY' : ''}${options.cascade ? ' CASCADE' : ''}`;
}
