import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * What a user gets from npm: pack every package, install the tarballs into a
 * project outside the workspace, and run a query from TypeScript and from
 * plain Node ESM. Catches a wrong `exports` map, missing files in `files`,
 * a dependency only satisfied by the workspace, or `.d.ts` that do not resolve.
 *
 * It runs offline: the third-party packages they need (pg and what it needs, @types/node, the OpenTelemetry API and
 * SDK an application brings to @pewit/opentelemetry) are packed from the
 * workspace's own node_modules too, and npm installs with --offline, so it never asks a registry.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const packages = ['query', 'core', 'pg-backend', 'pooled-backend', 'warn-mode', 'migrate', 'opentelemetry'];
// Peers an application installs itself next to @pewit/opentelemetry: the API, and an SDK to see the spans.
const peers = ['@opentelemetry/api', '@opentelemetry/sdk-trace-base'];
const database = useTestDatabase();
let project: string;

const run = (cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'pewit-packed-'));
  const tarballs = join(project, 'tarballs');
  run('mkdir', ['-p', tarballs], project);
  for (const name of packages) run('npm', ['pack', '--silent', '--pack-destination', tarballs], join(root, 'packages', name));
  const thirdParty = dependencyClosure([
    '@types/node',
    ...peers,
    ...packages.flatMap((name) => Object.keys(manifest(join(root, 'packages', name)).dependencies ?? {})),
  ]);
  for (const dir of thirdParty) run('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', tarballs, dir], root);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'pewit-user', private: true, type: 'module' }));
  const files = readdirSync(tarballs).map((f) => join(tarballs, f));
  // An empty cache and a registry nobody listens on: the install can only succeed from the tarballs.
  const offline = { npm_config_cache: join(project, 'empty-cache'), npm_config_registry: 'http://127.0.0.1:9/' };
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', ...files], project, offline);
}, 240_000);

function manifest(dir: string): {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
} {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
}

/** Folders in the root node_modules of the named third-party packages and everything they need, required peers too. */
function dependencyClosure(names: string[]): string[] {
  const seen = new Map<string, string>();
  const visit = (name: string) => {
    if (name.startsWith('@pewit/') || seen.has(name)) return;
    const dir = join(root, 'node_modules', name);
    if (!existsSync(dir)) throw new Error(`packaging test: ${name} is not installed in the workspace's node_modules`);
    seen.set(name, dir);
    const m = manifest(dir);
    const peers = Object.keys(m.peerDependencies ?? {}).filter((peer) => !m.peerDependenciesMeta?.[peer]?.optional);
    for (const dep of [...Object.keys(m.dependencies ?? {}), ...peers]) visit(dep);
  };
  for (const name of names) visit(name);
  return [...seen.values()];
}

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

const program = `
import { AutoField, model, TextField, sql } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { enableWarnMode } from '@pewit/warn-mode';
import { defineMigration } from '@pewit/migrate';
import { instrument } from '@pewit/opentelemetry';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

const db = new PostgresqlDatabase(process.env.DATABASE_URL as string);
class Item extends model('packed_items', { id: AutoField(), title: TextField() }, { database: db }) {}
await db.createTables([Item], { safe: true });
const item = await Item.create({ title: 'from a tarball' });
const exporter = new InMemorySpanExporter();
const stop = instrument(db, { tracerProvider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }) });
const again = await Item.getById(item.id);
stop();
const traced = exporter.getFinishedSpans().map((span) => span.name);
const blocking = Item.select().where(Item.title.eq('from a tarball')).countSync();
const { rows } = await db.execute(sql\`SELECT 1 AS one\`);
console.log(JSON.stringify({ title: again.title, blocking, one: rows[0]?.one, pooled: typeof PooledPostgresqlDatabase, warn: typeof enableWarnMode, migrate: typeof defineMigration, traced }));
await db.close();
`;

describe('packed tarballs installed outside the workspace', () => {
  it('run a query from plain Node ESM', () => {
    writeFileSync(join(project, 'main.mjs'), program.replace(' as string', ''));
    const out = run('node', ['main.mjs'], project, { DATABASE_URL: database.url() });
    expect(JSON.parse(out.trim().split('\n').pop() as string)).toEqual({
      title: 'from a tarball',
      blocking: 1,
      one: 1,
      pooled: 'function',
      warn: 'function',
      migrate: 'function',
      traced: ['SELECT "packed_items"'],
    });
  });

  it('run the installed `pewit` command on a migration that imports @pewit/migrate', () => {
    run('mkdir', ['-p', 'migrations'], project);
    writeFileSync(
      join(project, 'migrations', '001_packed_notes.js'),
      "import { defineMigration } from '@pewit/migrate';\nexport default defineMigration({ up(m) { m.createTable('packed_notes', { id: { type: 'integer', primaryKey: true } }) } });\n",
    );
    const out = run(join(project, 'node_modules/.bin/pewit'), ['migrate', 'up'], project, { DATABASE_URL: database.url(), NO_COLOR: '1' });
    expect(out).toContain('▲ applying 001_packed_notes');
    expect(out).toContain('1 migration(s) applied');
  });

  it('type-check and run from TypeScript', () => {
    writeFileSync(join(project, 'main.ts'), program);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          outDir: 'out',
          types: ['node'],
          skipLibCheck: false,
        },
        include: ['main.ts'],
      }),
    );
    run(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], project);
    const out = run('node', ['out/main.js'], project, { DATABASE_URL: database.url() });
    expect(JSON.parse(out.trim().split('\n').pop() as string)).toMatchObject({ title: 'from a tarball', traced: ['SELECT "packed_items"'] });
  }, 120_000);

  // Issue #19 item 7: what users compile against, under the strictest settings and both resolutions.
  it.each(['nodenext', 'bundler'] as const)(
    'the published .d.ts compile under every strict flag, moduleResolution %s',
    (resolution) => {
      const typed = `${program}
const key: number = await Item.insert({ title: 'typed' });
const count: number = await Item.select().count();
const first: string | null = await Item.select(Item.title).scalar();
console.log(key, count, first);
`;
      writeFileSync(join(project, 'strict.ts'), typed);
      writeFileSync(
        join(project, `tsconfig.${resolution}.json`),
        JSON.stringify({
          compilerOptions: {
            target: 'es2022',
            module: resolution === 'bundler' ? 'esnext' : 'nodenext',
            moduleResolution: resolution,
            strict: true,
            exactOptionalPropertyTypes: true,
            noUncheckedIndexedAccess: true,
            verbatimModuleSyntax: true,
            skipLibCheck: false,
            noEmit: true,
            types: ['node'],
          },
          include: ['strict.ts'],
        }),
      );
      run(join(root, 'node_modules/.bin/tsc'), ['-p', `tsconfig.${resolution}.json`], project);
    },
    120_000,
  );
});
