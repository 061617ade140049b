import type { Database } from '../database/database.js';
import { describe } from '../evaluation/description.js';
import { type CreateTablesOptions, createTablesProgram, type DropTablesOptions, dropTablesProgram } from '../schema/schema-programs.js';
import { register } from './model.js';
import type { AnyModelClass } from './types.js';

/**
 * What `db.bind`, `db.createTables` and `db.dropTables` do: models and their
 * schema, on a database given as an argument. The database only runs the
 * programs built here.
 */

/** Attaches models to `db`. @example bindModels(db, [User, Tweet]) */
export function bindModels(db: Database, models: readonly AnyModelClass[]): void {
  for (const cls of models) register(cls).database = db;
}

/** CREATE TABLE for each model in dependency order, then indexes. @example await createTables(db, [Tweet, User]) // CREATE TABLE "users" …; CREATE TABLE "tweets" … */
export function createTables(db: Database, models: readonly AnyModelClass[], options: CreateTablesOptions): Promise<void> {
  return db.evaluate(createTablesProgram(models.map(register), options), describe('await', 'db.createTables()'));
}

/** Blocking twin of `createTables`. */
export function createTablesSync(db: Database, models: readonly AnyModelClass[], options: CreateTablesOptions): void {
  db.evaluateSync(createTablesProgram(models.map(register), options), describe('createTablesSync', 'db.createTablesSync()', 'await db.createTables(…)'));
}

/** DROP TABLE in reverse dependency order. @example await dropTables(db, [User, Tweet], { safe: true }) // DROP TABLE IF EXISTS "tweets"; DROP TABLE IF EXISTS "users" */
export function dropTables(db: Database, models: readonly AnyModelClass[], options: DropTablesOptions): Promise<void> {
  return db.evaluate(dropTablesProgram(models.map(register), options), describe('await', 'db.dropTables()'));
}

/** Blocking twin of `dropTables`. */
export function dropTablesSync(db: Database, models: readonly AnyModelClass[], options: DropTablesOptions): void {
  db.evaluateSync(dropTablesProgram(models.map(register), options), describe('dropTablesSync', 'db.dropTablesSync()', 'await db.dropTables(…)'));
}
