export { loadModels, modelsOf } from './load-models.js';
export { type MadeMigration, type MakeMigrationOptions, makeMigration } from './make-migration.js';
export type { MigrationStep } from './migration-step.js';
export { renameQuestion, renameSpelling } from './renames.js';
