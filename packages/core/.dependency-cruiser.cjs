// The direction of @pewit/core, checked by test/layers.test.ts (so `npm test` fails on a wrong import).
// Only value imports count: a type-only import is erased by tsc and can point anywhere.

// The layers, bottom up. Each gets one rule: it never imports a layer above it. schema sits beside relations
// and is kept from them by its own list (`not`), since DDL needs relation definitions, never loading.
const layers = [
  {
    folders: ['errors', 'types', 'evaluation', 'expressions'],
    rule: 'foundations-import-nothing-above',
    why: 'errors, types, evaluation and expressions are the floor: they know nothing of fields, models or queries.',
  },
  { folders: ['fields'], rule: 'fields-below-models', why: 'A field knows its owner only as metadata (a type), never models, queries or the database.' },
  {
    folders: ['meta'],
    rule: 'meta-below-links',
    why: 'Model metadata (ModelMeta, symbols, dirty marks, hydration, the registry) is data: it never joins, queries or loads.',
  },
  {
    folders: ['links'],
    rule: 'links-below-queries',
    why: 'How models link (aliases, join inference, many-to-many sides, prefetch plans) is what queries build on; it reaches a query only through the object handed in.',
  },
  {
    folders: ['query'],
    rule: 'queries-below-relations',
    why: 'Builders and row readers never use relation accessors or the model class: those run queries, not the other way round.',
  },
  {
    folders: ['relations'],
    rule: 'relations-below-models',
    why: 'Relation loading and accessors get the model class handed in; they never import it, the schema or the database.',
  },
  {
    folders: ['schema'],
    not: ['query', 'relations'],
    rule: 'schema-below-models',
    why: 'DDL is built from model metadata and relation definitions; it never builds queries, loads relations, or reaches the model class or the database.',
  },
  { folders: ['model'], rule: 'model-below-database', why: 'The model class reaches its database through the Database type only.' },
];
const above = (i) => [...layers.slice(i + 1).flatMap((l) => l.folders), 'database', ...(layers[i].not ?? [])];
const layerRules = layers.map((layer, i) => ({
  name: layer.rule,
  comment: layer.why,
  severity: 'error',
  from: { path: `^src/(${layer.folders.join('|')})/` },
  to: { path: `^src/(${above(i).join('|')})/` },
}));

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
    ...layerRules,
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
