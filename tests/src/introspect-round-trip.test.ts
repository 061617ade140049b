// The introspection round trip of issue #23: a schema of 17 tables and 2 views written in plain SQL is introspected,
// turned into model source, compiled by tsc under strict and imported; createTables in an EMPTY database (plus the
// views, from the generated definitions) gives the same description and the same pg_catalog snapshot.
import type { AnyModelClass } from '@pewit/core';
import { type GeneratedModels, generateModels, introspectDatabase, type SchemaDescription } from '@pewit/migrate';
import { adminQuery, createTestDatabase, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTROSPECT_SCHEMA_SQL } from './fixtures/introspect-schema.js';
import { CATALOG_SNAPSHOT_SQL } from './fixtures/shop-schema.js';
import { compileGenerated, scratchFolder } from './introspect-helpers.js';

const source = useTestDatabase();
const schemas = ['public', 'shop'];
let empty: Awaited<ReturnType<typeof createTestDatabase>>;
let original: SchemaDescription;
const scratch: (() => void)[] = [];

interface GeneratedModule {
  models: AnyModelClass[];
  viewModels: AnyModelClass[];
  viewDefinitions: readonly { schema: string; name: string; materialized: boolean; definition: string }[];
}

async function snapshot(url: string): Promise<string[]> {
  const out: string[] = [];
  for (const schema of schemas) out.push(...(await adminQuery(url, CATALOG_SNAPSHOT_SQL, [schema])).rows.map((r) => `${schema} ${r.item}`));
  return out;
}

/** Creates the generated models' tables in an empty database, then the views, and reads that database back. */
async function recreate(generated: GeneratedModels, entry: string, label: string): Promise<{ url: string; description: SchemaDescription }> {
  const { dir, remove } = scratchFolder(label);
  scratch.push(remove);
  const urls = compileGenerated(dir, generated.files, entry);
  const mod = (await import(urls.entry)) as GeneratedModule;
  const { PostgresqlDatabase } = (await import(urls.backend)) as typeof import('@pewit/pg-backend');
  const target = await createTestDatabase();
  scratch.push(() => void target.drop());
  await adminQuery(target.url, 'CREATE SCHEMA shop');
  const db = new PostgresqlDatabase(target.url);
  try {
    db.bind([...mod.models, ...mod.viewModels]);
    await db.createTables([...mod.models, ...mod.viewModels]);
    for (const v of mod.viewDefinitions)
      await adminQuery(target.url, `CREATE ${v.materialized ? 'MATERIALIZED ' : ''}VIEW "${v.schema}"."${v.name}" AS ${v.definition}`);
    return { url: target.url, description: await introspectDatabase(db, { schemas }) };
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  await adminQuery(source.url(), INTROSPECT_SCHEMA_SQL);
  original = await introspectDatabase(source.url(), { schemas });
  empty = await createTestDatabase();
});
afterAll(async () => {
  await empty?.drop();
  if (!process.env.PEWIT_KEEP_SCRATCH) for (const remove of scratch) remove();
});

describe('pewit introspect round trip', () => {
  it('describes every table, view and enum of the SQL schema', () => {
    expect(original.tables).toHaveLength(17);
    expect(original.views.map((v) => `${v.schema}.${v.name}`)).toEqual(['public.active_products', 'shop.order_totals']);
    expect(original.enums).toEqual([
      { schema: 'public', name: 'mood', values: ['happy', 'sad', "it's complicated"] },
      { schema: 'shop', name: 'order_state', values: ['new', 'paid', 'shipped'] },
    ]);
    const lines = original.tables.find((t) => t.name === 'order_lines');
    expect(lines?.primaryKey?.columns).toEqual(['order_id', 'line_no']);
    expect(lines?.columns.find((c) => c.name === 'amount')?.generated).toBe('((qty)::numeric * unit_price)');
  });

  it.each(['single', 'per-table'] as const)(
    '%s file(s): compiles under strict, and createTables gives the same description and catalog',
    async (layout) => {
      const generated = generateModels(original, { layout });
      const { url, description } = await recreate(generated, layout === 'single' ? 'models.ts' : 'index.ts', layout);
      expect(description).toEqual(original);
      expect(await snapshot(url)).toEqual(await snapshot(source.url()));
    },
    180_000,
  );

  it('says what it could not map exactly, and keeps those columns as typed custom fields', () => {
    const { files, notes } = generateModels(original);
    const text = files[0]?.source ?? '';
    expect(notes).toEqual([
      'public.points: at: type point has no pewit field; mapped to customField<string>',
      'public.points: code: type bit(8) has no pewit field; mapped to customField<string>',
      'public.settings: updated_at: type timestamp without time zone has no pewit field; mapped to customField<string>',
    ]);
    expect(text).toContain("at: customField<string>({ sqlType: 'point', toDatabase: (v) => v, fromDatabase: (text) => text, null: true }),");
    expect(text).toContain("weirdColumn: TextField({ null: true, columnName: 'Weird Column!' }),");
    expect(text).toContain("toStringValue: TextField({ null: true, columnName: 'toString' }),");
  });
});
