// `pewit introspect` as a user runs it: a child process on the built bin, writing one file per table, on the SQL
// schema of the round-trip test and on Pagila (loaded with psql, as its README says). The output compiles under
// strict; what Pagila has that pewit models cannot declare is reported, never dropped.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AnyModelClass } from '@pewit/core';
import { diffSchemas, introspectDatabase } from '@pewit/migrate';
import { adminQuery, createTestDatabase, runNode, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INTROSPECT_SCHEMA_SQL } from './fixtures/introspect-schema.js';
import { PAGILA_DIR } from './fixtures/pagila.js';
import { compileGenerated, scratchFolder } from './introspect-helpers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'packages/migrate/dist/cli/main.js');
const pagila = PAGILA_DIR;
const database = useTestDatabase();
const cleanup: (() => void | Promise<void>)[] = [];
afterAll(async () => {
  for (const f of cleanup) await f();
});

const filesOf = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((path) => ({ path, source: readFileSync(join(dir, path), 'utf8') }));

describe('pewit introspect (the CLI)', () => {
  beforeAll(() => adminQuery(database.url(), INTROSPECT_SCHEMA_SQL));

  it('writes one file per table and view, prints what it read and what did not map exactly', async () => {
    const { dir, remove } = scratchFolder('cli');
    cleanup.push(remove);
    const out = join(dir, 'models');
    const run = await runNode([bin, 'introspect', '--url', database.url(), '--schema', 'public', '--schema', 'shop', '--out-dir', out]);
    expect(run.stderr).toContain('Introspected public, shop: 17 tables, 2 views, 2 enums\n');
    expect(run.stderr).toContain('note public.points: at: type point has no pewit field; mapped to customField<string>\n');
    expect(run.stderr).not.toContain(new URL(database.url()).password || '\u0000');
    expect(run.code).toBe(0);
    const files = filesOf(out);
    expect(files.map((f) => f.path).sort()).toContain('order-lines.ts');
    expect(files).toHaveLength(20);
    compileGenerated(out, files, 'index.ts');
  }, 120_000);

  it('refuses wrong arguments with the usage, exit code 2, before connecting', async () => {
    const run = await runNode([bin, 'introspect', '--schema', 'public', '--bogus'], { env: { DATABASE_URL: '' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Unknown option '--bogus'");
    expect(run.stderr).toContain('Usage: pewit introspect');
    const none = await runNode([bin, 'introspect'], { env: { DATABASE_URL: '' } });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give the database with --url');
  });

  it('exits 1 and says why when the database cannot be read', async () => {
    const url = new URL(database.url());
    url.pathname = '/no_such_database';
    const run = await runNode([bin, 'introspect', '--url', url.href, '--out', '-']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('database "no_such_database" does not exist');
  });
});

describe('pewit introspect on Pagila', () => {
  let pagilaDb: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    if (!existsSync(join(pagila, 'pagila-schema.sql'))) throw new Error(`Pagila is not at ${pagila} (stored in tests/fixtures/pagila)`);
    pagilaDb = await createTestDatabase();
    cleanup.push(() => pagilaDb.drop());
    execFileSync('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', '-d', pagilaDb.url, '-f', join(pagila, 'pagila-schema.sql')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
  });

  it('generates models that compile under strict; createTables gives back every table; what does not map is reported', async () => {
    const { dir, remove } = scratchFolder('pagila');
    cleanup.push(remove);
    const out = join(dir, 'models.ts');
    const run = await runNode([bin, 'introspect', '--url', pagilaDb.url, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('Introspected public: 15 tables, 7 views, 1 enum\n');
    // What does not map exactly is said; nothing else is: every other column, key, constraint and index maps.
    expect(run.stderr.split('\n').filter((l) => l.startsWith('note '))).toEqual([
      'note public.film: release_year: domain public.year (over integer); pewit does not create domains; mapped to customField<number>',
      'note public.payment: a partitioned table: createTables makes a plain table; its partitions are not generated',
      ...[1, 2, 3, 4, 5, 6].map((m) => `note public.payment_p2020_0${m}: a partition, described through its parent; not generated`),
    ]);
    const urls = compileGenerated(dir, filesOf(dir), 'models.ts');
    // createTables in an empty database (with the domain pewit does not create), then compare with Pagila itself.
    const mod = (await import(urls.entry)) as { models: AnyModelClass[] };
    const { PostgresqlDatabase } = (await import(urls.backend)) as typeof import('@pewit/pg-backend');
    const empty = await createTestDatabase();
    cleanup.push(() => empty.drop());
    await adminQuery(empty.url, 'CREATE DOMAIN public.year AS integer CONSTRAINT year_check CHECK (VALUE >= 1901 AND VALUE <= 2155)');
    const db = new PostgresqlDatabase(empty.url);
    try {
      db.bind(mod.models);
      await db.createTables(mod.models);
      // Every table, column, key, constraint and index comes back as Pagila has it; only the views are missing (pewit
      // reads views, it does not create them: Pagila's need its group_concat aggregate and functions first).
      const changes = diffSchemas(await introspectDatabase(db), await introspectDatabase(pagilaDb.url));
      expect(changes.map((c) => `${c.kind} ${c.kind === 'viewAdded' ? c.view.name : ''}`)).toEqual(
        ['actor_info', 'customer_list', 'film_list', 'nicer_but_slower_film_list', 'sales_by_film_category', 'sales_by_store', 'staff_list'].map(
          (v) => `viewAdded ${v}`,
        ),
      );
    } finally {
      await db.close();
    }
  }, 120_000);
});
