import type { Program } from '../evaluation/program.js';
import type { ModelMeta } from '../model/model-meta.js';
import { withThroughModels } from '../relations/many-to-many.js';
import { addForeignKeysSql, createIndexesSql, createTableSql, dropTableSql, type TruncateOptions, truncateTableSql } from './ddl.js';
import { dependencyOrder } from './dependency-order.js';
import { createEnumTypesProgram, dropEnumTypesProgram } from './enum-types.js';

/** Options of `createTables`. */
export interface CreateTablesOptions {
  /** `IF NOT EXISTS`: no error when a table or index already exists. */
  readonly safe?: boolean;
}

/** Options of `dropTables`. */
export interface DropTablesOptions {
  readonly safe?: boolean;
  readonly cascade?: boolean;
}

const statement = (text: string) => ({ text, values: [] as const });

/** CREATE TABLE for each model in dependency order, then deferred foreign keys, then indexes. */
export function* createTablesProgram(models: readonly ModelMeta[], options: CreateTablesOptions = {}): Program<void> {
  const { order, deferred } = dependencyOrder(withThroughModels(models));
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
  const { order } = dependencyOrder(withThroughModels(models));
  for (const meta of order.reverse()) yield statement(dropTableSql(meta, options));
  yield* dropEnumTypesProgram(order, options);
}

/** TRUNCATE of one model's table. */
export function* truncateProgram(meta: ModelMeta, options: TruncateOptions = {}): Program<void> {
  yield statement(truncateTableSql(meta, options));
}
