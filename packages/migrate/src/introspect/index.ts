export { type GeneratedFile, type GeneratedModels, type GenerateOptions, generateModels } from './generate-models.js';
export { type CommandIo, runIntrospectCommand } from './introspect-command.js';
export { type IntrospectOptions, introspectDatabase } from './introspect-database.js';
export type * from './schema-description.js';
export { schemaOfModels } from './schema-of-models.js';
