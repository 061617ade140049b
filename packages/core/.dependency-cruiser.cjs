// The direction of @pewit/core, checked by test/layers.test.ts (so `npm test` fails on a wrong import).
// Only value imports count: a type-only import is erased by tsc and can point anywhere.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-value-cycle',
      comment: 'A value-import cycle makes module initialisation order matter; break it by handing the value in.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'foundations-import-nothing-above',
      comment: 'errors, types, evaluation and expressions are the floor: they know nothing of fields, models or queries.',
      severity: 'error',
      from: { path: '^src/(errors|types|evaluation|expressions)/' },
      to: { path: '^src/(fields|model|query|relations|schema|database)/' },
    },
    {
      name: 'fields-below-models',
      comment: 'A field knows its owner only as metadata (a type), never the model layer, queries or the database.',
      severity: 'error',
      from: { path: '^src/fields/' },
      to: { path: '^src/(model|query|relations|schema|database)/' },
    },
    {
      name: 'schema-below-database',
      comment: 'DDL is built from model metadata and relations; it never builds queries or reaches the database.',
      severity: 'error',
      from: { path: '^src/schema/' },
      to: { path: '^src/(query|database|model/model\\.ts|model/define-model\\.ts)' },
    },
    {
      name: 'database-on-top',
      comment: 'Nothing below the database layer imports it as a value: the Database contract is used through types.',
      severity: 'error',
      from: { path: '^src/(?!database/|index\\.ts)' },
      to: { path: '^src/database/' },
    },
  ],
  options: {
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
  },
};
