import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { connect, type Database, sql } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { useTestDatabase } from '@pewit/test-support';
import { afterAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();
const opened: Database[] = [];
afterAll(async () => {
  for (const db of opened) await db.close();
});

function withScheme(scheme: string, params: Record<string, string> = {}): string {
  const url = new URL(database.url());
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString().replace(/^postgres:/, scheme);
}

async function open(url: string): Promise<Database> {
  const db = await connect(url);
  opened.push(db);
  return db;
}

describe('connect(url)', () => {
  it('opens the single-connection backend for postgres:// and postgresql://', async () => {
    for (const scheme of ['postgres:', 'postgresql:']) {
      const db = await open(withScheme(scheme));
      expect(db).toBeInstanceOf(PostgresqlDatabase);
      expect(db).not.toBeInstanceOf(PooledPostgresqlDatabase);
      expect((await db.execute(sql`SELECT current_database() AS name`)).rows[0]?.name).toBe(database.name());
    }
  });

  it('opens the pooled backend for postgres+pool://, with pool options from query parameters', async () => {
    const db = await open(
      withScheme('postgres+pool:', {
        max: '3',
        idleTimeoutMillis: '0',
        connectionTimeoutMillis: '1234',
        maxLifetimeSeconds: '60',
        application_name: 'from-url',
      }),
    );
    expect(db).toBeInstanceOf(PooledPostgresqlDatabase);
    expect((db as PooledPostgresqlDatabase).poolOptions).toEqual({ max: 3, idleTimeoutMillis: 0, connectionTimeoutMillis: 1234, maxLifetimeSeconds: 60 });
    // Parameters that are not pewit's stay for node-postgres.
    expect((await db.execute(sql`SELECT current_setting('application_name') AS app`)).rows[0]?.app).toBe('from-url');
    const pids = await Promise.all(Array.from({ length: 6 }, () => db.execute(sql`SELECT pg_backend_pid() AS pid, pg_sleep(0.02)`)));
    expect(new Set(pids.map((r) => r.rows[0]?.pid)).size).toBe(3);
  });

  it('passes statementTimeoutMillis to the server as statement_timeout', async () => {
    const db = await open(withScheme('postgresql+pool:', { statementTimeoutMillis: '1500' }));
    expect((await db.execute(sql`SELECT current_setting('statement_timeout') AS t`)).rows[0]?.t).toBe('1500ms');
  });

  it('lists the supported schemes when the scheme is unknown', async () => {
    await expect(connect('mysql://localhost/app')).rejects.toThrow(
      /unsupported URL scheme "mysql:\/\/".*postgres:\/\/ \(@pewit\/pg-backend\).*postgres\+pool:\/\/ \(@pewit\/pooled-backend\)/,
    );
    await expect(connect('localhost/app')).rejects.toThrow(/unsupported URL scheme in "localhost\/app"; use one of/);
  });

  it('refuses pool options on a single-connection URL and malformed option values', async () => {
    await expect(connect(withScheme('postgres:', { max: '5' }))).rejects.toThrow(/max configure a pool.*use postgres\+pool:\/\//);
    await expect(connect(withScheme('postgres+pool:', { max: 'lots' }))).rejects.toThrow(/max=lots is not a non-negative number/);
  });

  it('says which package to install when the backend is missing', { timeout: 30_000 }, async () => {
    // A project with only @pewit/core (and its dependency @pewit/query) installed, as a user would have it.
    const root = mkdtempSync(join(tmpdir(), 'pewit-connect-'));
    try {
      const packages = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'packages');
      for (const name of ['core', 'query']) {
        const target = join(root, 'node_modules', '@pewit', name);
        mkdirSync(target, { recursive: true });
        cpSync(join(packages, name, 'package.json'), join(target, 'package.json'));
        cpSync(join(packages, name, 'dist'), join(target, 'dist'), { recursive: true });
      }
      const script = `
        import { connect } from '@pewit/core';
        for (const url of ['postgres+pool://localhost/app', 'postgres://localhost/app']) {
          try { await connect(url); console.log('connected?!'); } catch (e) { console.log(e.message); }
        }`;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
      const lines = stdout.trim().split('\n');
      expect(lines[0]).toMatch(
        /postgres\+pool:\/\/ URLs need the package @pewit\/pooled-backend, which is not installed; run: npm install @pewit\/pooled-backend/,
      );
      expect(lines[1]).toMatch(/postgres:\/\/ URLs need the package @pewit\/pg-backend, which is not installed; run: npm install @pewit\/pg-backend/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
