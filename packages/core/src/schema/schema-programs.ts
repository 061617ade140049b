import type { Program } from '../evaluation/program.js';
import { withThroughModels } from '../links/many-to-many.js';
import type { ModelMeta } from '../meta/model-meta.js';
import { addForeignKeysSql, createIndexesSql, createTableSql, dropTableSql, type TruncateOptions, tableRef, truncateTableSql } from './ddl.js';
import { dependencyOrder } from './dependency-order.js';
import { createEnumTypesProgram, dropEnumTypesProgram } from './enum-types.js';

/** Options of `createTables`. */
export interface CreateTablesOptions {
  /**
   * Create only what is missing: a table that already exists is left exactly
   * as it is (its columns, indexes and constraints too), so running this at
   * every start-up on an existing database changes nothing. New tables get
   * `IF NOT EXISTS` on every statement.
   */
  readonly safe?: boolean;
}

/** Options of `dropTables`. */
export interface DropTablesOptions {
  readonly safe?: boolean;
  readonly cascade?: boolean;
}

const statement = (text: string) => ({ text, values: [] as const });

/** The tables pewit owns among `models`: read-only models (views, tables the application must not write) are left alone. */
const tablesOf = (models: readonly ModelMeta[]) => withThroughModels(models).filter((m) => !m.readOnly);

/**
 * The models whose table already exists, asked of the catalog in one statement.
 * `to_regclass` resolves each name as the server would (search_path included)
 * and answers NULL, not an error, for a table that is not there.
 */
function* existingTables(models: readonly ModelMeta[]): Program<ReadonlySet<ModelMeta>> {
  if (models.length === 0) return new Set();
  const result = yield {
    text: 'SELECT to_regclass(t) IS NOT NULL FROM unnest($1::text[]) WITH ORDINALITY AS u(t, i) ORDER BY i',
    values: [models.map(tableRef)],
  };
  return new Set(models.filter((_, i) => result.rows[i]?.[0] === 't'));
}

/**
 * CREATE TABLE for each model in dependency order, then deferred foreign keys,
 * then indexes. With `safe`, tables that exist are skipped whole: an index or a
 * constraint of pewit's is never added to a table the application (or another
 * tool) already made, where it would duplicate one under another name.
 */
export function* createTablesProgram(models: readonly ModelMeta[], options: CreateTablesOptions = {}): Program<void> {
  const all = dependencyOrder(tablesOf(models));
  const existing = options.safe ? yield* existingTables(all.order) : new Set<ModelMeta>();
  const order = all.order.filter((m) => !existing.has(m));
  const deferred = all.deferred;
  const selfDeferred = new Set(order.filter((m) => deferred.has(m)));
  yield* createEnumTypesProgram(order, options);
  for (const meta of order) yield statement(createTableSql(meta, { safe: options.safe, deferred: deferred.get(meta) }));
  for (const meta of selfDeferred) {
    for (const sql of addForeignKeysSql(meta, deferred.get(meta) as Set<ModelMeta>)) {
      if (!options.safe) yield statement(sql);
      else yield statement(`DO $pewit$ BEGIN ${sql}; EXCEPTION WHEN duplicate_object THEN NULL; END $pewit$`);
    }
  }
  for (const meta of order) for (const sql of createIndexesSql(meta, options)) yield statement(sql);
}

/** DROP TABLE in reverse dependency order. */
export function* dropTablesProgram(models: readonly ModelMeta[], options: DropTablesOptions = {}): Program<void> {
  const { order } = dependencyOrder(tablesOf(models));
  for (const meta of order.reverse()) yield statement(dropTableSql(meta, options));
  yield* dropEnumTypesProgram(order, options);
}

/** TRUNCATE of one model's table. */
export function* truncateProgram(meta: ModelMeta, options: TruncateOptions = {}): Program<void> {
  meta.requireWritable('be truncated');
  yield statement(truncateTableSql(meta, options));
}
