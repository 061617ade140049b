// Proves docs/getting-started.md "Connect" and "Close": creating a database object opens no connection, the first
// query (or db.connect()) opens one, that open connection keeps Node.js running, and close() lets a running query
// finish, then ends the server sessions. The sessions are read from pg_stat_activity by an application_name of this file's own.
import { fileURLToPath } from 'node:url';
import { sql } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { adminQuery, runNode, useTestDatabase } from '@pewit/test-support';
import { afterEach, describe, expect, it } from 'vitest';

const database = useTestDatabase();
const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});

function urlNamed(name: string): string {
  const url = new URL(database.url());
  url.searchParams.set('application_name', name);
  return url.toString();
}

/** How many client sessions with this application_name the server has. */
async function sessions(name: string): Promise<number> {
  const { rows } = await adminQuery(
    database.url(),
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND backend_type = 'client backend'",
    [name],
  );
  return rows[0]?.n as number;
}

/** The session count once it has settled on `expected` (a closed session may linger a moment on the server), or after 5 s. */
async function settledSessions(name: string, expected: number): Promise<number> {
  let n = await sessions(name);
  for (let i = 0; n !== expected && i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    n = await sessions(name);
  }
  return n;
}

const backends = [
  ['PostgresqlDatabase', (url: string) => new PostgresqlDatabase(url)],
  ['PooledPostgresqlDatabase', (url: string) => new PooledPostgresqlDatabase(url, { max: 4 })],
] as const;

describe.each(backends)('%s connects lazily', (label, open) => {
  const name = `pewit-lazy-${label}`;

  it('creating the database object opens no connection; the first query opens one', async () => {
    const db = open(urlNamed(name));
    opened.push(db);
    expect(await sessions(name)).toBe(0);
    expect((await db.execute(sql`SELECT 1 AS one`)).rows).toEqual([{ one: 1 }]);
    // One: async work never opens the blocking connection (docs/backends.md "Opened on first blocking use").
    expect(await sessions(name)).toBe(1);
    expect(db.executeSync(sql`SELECT 2 AS two`).rows).toEqual([{ two: 2 }]);
    expect(await sessions(name)).toBe(2);
  });

  it('db.connect() opens it at once', async () => {
    const db = open(urlNamed(`${name}-connect`));
    opened.push(db);
    await db.connect();
    expect(await sessions(`${name}-connect`)).toBe(1);
  });

  it('close() lets a running query finish, then ends its session on the server', async () => {
    const db = open(urlNamed(`${name}-close`));
    const running = db.execute(sql`SELECT pg_sleep(0.2), 'done' AS result`);
    // close() is called while the statement is on the server.
    for (let i = 0; (await sessions(`${name}-close`)) === 0 && i < 200; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const closing = db.close();
    // docs/backends.md "close()": closed at once for new calls, on both paths; running work finishes.
    expect(db.isClosed).toBe(true);
    await expect(db.execute(sql`SELECT 1`)).rejects.toThrow(/the database is closed: create a new database object/);
    expect(() => db.executeSync(sql`SELECT 1`)).toThrow(/the database is closed/);
    expect((await running).rows[0]?.result).toBe('done');
    await closing;
    expect(await settledSessions(`${name}-close`, 0)).toBe(0);
  });

  // "Anything that made an async query must close the database, or Node.js keeps the connection open and the
  // process running": the open connection is a socket that keeps the event loop alive until close(). Counted in a
  // process of its own (fixtures/open-sockets.mjs), where no other test's sockets come and go.
  it('an async query leaves a socket that keeps Node.js running until close()', async () => {
    const script = fileURLToPath(new URL('./fixtures/open-sockets.mjs', import.meta.url));
    const run = await runNode([script, label === 'PostgresqlDatabase' ? 'single' : 'pooled', urlNamed(`${name}-alive`)], { limitMillis: 20_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim().split('\n')).toEqual(['0', '1', '0']);
    expect(run.code).toBe(0);
  });
});
