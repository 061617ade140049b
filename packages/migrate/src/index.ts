/**
 * `@pewit/migrate`: migration operations, the migration runner, generation of
 * migrations from the difference between models and a live database, and
 * introspection of existing databases into model source.
 *
 * The public API is re-exported here as each part lands.
 */

export { runCli } from './cli/run-cli.js';
export { CONFIG_FILES, defineConfig, type PewitConfig, type ResolvedConfig, redactUrl, resolveConfig } from './config/config.js';
// Introspection and the schema diff (src/introspect, src/diff).
export * from './diff/index.js';
export * from './introspect/index.js';
// Generating migrations from the models (src/make).
export * from './make/index.js';
// Operations and the runner (src/operations, src/runner, src/config, src/cli).
export * from './operations/index.js';
export { defineMigration, type MigrationDefinition } from './runner/define-migration.js';
export { type AppliedMigration, HISTORY_TABLE } from './runner/history.js';
export type { MigrationFile } from './runner/migration-files.js';
export type { MigrationPlan } from './runner/plan.js';
export { collectingReporter, type Reporter, streamReporter } from './runner/reporter.js';
export { MigrationRunner, type MigrationRunnerOptions, type MigrationStatus } from './runner/runner.js';
