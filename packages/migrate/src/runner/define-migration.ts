import { MigrationError } from '../operations/definition-error.js';
import type { Migrator } from '../operations/migrator.js';

/** What a migration file exports (through `defineMigration`, or as named exports `up`, `down`, `transaction`). */
export interface MigrationDefinition {
  /** Records the migration's operations on `m`. */
  readonly up: (m: Migrator) => void | Promise<void>;
  /** Records the operations that undo `up`; without it, `down` is derived from the inverses of up's operations. */
  readonly down?: ((m: Migrator) => void | Promise<void>) | undefined;
  /**
   * False when a step cannot run in a transaction (`addIndex(…, { concurrently: true })`):
   * each statement then commits on its own. Default true: the whole migration,
   * and its row in the history table, commit or roll back together.
   */
  readonly transaction?: boolean | undefined;
}

/**
 * Declares a migration (the default export of a file in the migrations folder).
 *
 * @example
 * import { defineMigration } from '@pewit/migrate';
 * import { sql } from '@pewit/core';
 * export default defineMigration({
 *   up(m) {
 *     m.addColumn('users', 'created_at', { type: 'timestamptz', notNull: true, default: sql`now()` });
 *   },
 * });
 * // up:   BEGIN; ALTER TABLE "users" ADD COLUMN "created_at" timestamptz DEFAULT now() NOT NULL; …; COMMIT
 * // down: BEGIN; ALTER TABLE "users" DROP COLUMN "created_at"; …; COMMIT   (derived)
 */
export function defineMigration(definition: MigrationDefinition): MigrationDefinition {
  return checkDefinition('defineMigration', definition);
}

export function checkDefinition(owner: string, definition: unknown): MigrationDefinition {
  const d = definition as Partial<MigrationDefinition> | null;
  if (typeof d !== 'object' || d === null || typeof d.up !== 'function')
    throw new MigrationError(`${owner}: a migration exports up(m) (export default defineMigration({ up(m) { … } }))`);
  if (d.down !== undefined && typeof d.down !== 'function') throw new MigrationError(`${owner}: down must be a function (m) => { … }`);
  if (d.transaction !== undefined && typeof d.transaction !== 'boolean') throw new MigrationError(`${owner}: transaction must be true or false`);
  return Object.freeze({ up: d.up, down: d.down, transaction: d.transaction });
}
