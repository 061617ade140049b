/**
 * `@pewit/migrate`: migration operations, the migration runner, generation of
 * migrations from the difference between models and a live database, and
 * introspection of existing databases into model source.
 *
 * The public API is re-exported here as each part lands.
 */
export * from './diff/index.js';
export * from './introspect/index.js';
