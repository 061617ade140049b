// Proves docs/backends.md's pool options `idleTimeoutMillis` and `maxLifetimeSeconds` (connections closed when idle
// that long, replaced when older), and that a server out of connections (53300) is an OperationalError.
import { OperationalError, sql } from '@pewit/core';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { adminQuery, useTestDatabase } from '@pewit/test-support';
import { afterEach, describe, expect, it } from 'vitest';

const database = useTestDatabase();
const opened: PooledPostgresqlDatabase[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});

function pool(name: string, options: ConstructorParameters<typeof PooledPostgresqlDatabase>[1], url = database.url()) {
  const withName = new URL(url);
  withName.searchParams.set('application_name', name);
  const db = new PooledPostgresqlDatabase(withName.toString(), options);
  opened.push(db);
  return db;
}

/** The backend PIDs of the sessions with this application_name, as the server sees them. */
async function sessions(name: string): Promise<number[]> {
  const { rows } = await adminQuery(database.url(), "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND backend_type = 'client backend'", [name]);
  return rows.map((r) => r.pid as number);
}

const pid = async (db: PooledPostgresqlDatabase) => (await db.execute(sql`SELECT pg_backend_pid() AS pid`)).rows[0]?.pid as number;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('pool recycling on a real server', () => {
  it('idleTimeoutMillis closes a connection left idle that long: its session ends on the server', async () => {
    const db = pool('pewit-idle', { max: 2, idleTimeoutMillis: 200 });
    const first = await pid(db);
    expect(await sessions('pewit-idle')).toEqual([first]);
    await sleep(600);
    expect(await sessions('pewit-idle')).toEqual([]);
    expect(db.totalCount).toBe(0);
    // The next query simply opens a new one.
    expect(await pid(db)).not.toBe(first);
  });

  it('idleTimeoutMillis: 0 keeps idle connections open', async () => {
    const db = pool('pewit-keep', { max: 2, idleTimeoutMillis: 0 });
    const first = await pid(db);
    await sleep(600);
    expect(await sessions('pewit-keep')).toEqual([first]);
    expect(await pid(db)).toBe(first);
  });

  it('maxLifetimeSeconds replaces a connection older than that, though it was never idle long', async () => {
    const db = pool('pewit-lifetime', { max: 1, idleTimeoutMillis: 0, maxLifetimeSeconds: 1 });
    const first = await pid(db);
    // Busy all along: a query every 100 ms, so only the lifetime can retire it.
    const seen = new Set<number>([first]);
    for (let i = 0; i < 16; i++) {
      await sleep(100);
      seen.add(await pid(db));
    }
    expect(seen.size).toBeGreaterThanOrEqual(2);
    expect((await sessions('pewit-lifetime')).includes(first)).toBe(false);
  });

  it('a server out of connections for the role (53300) fails the query with OperationalError, and the pool stays usable', async () => {
    const role = `pewit_limited_${process.pid}`;
    await adminQuery(database.url(), `DROP ROLE IF EXISTS ${role}`);
    await adminQuery(database.url(), `CREATE ROLE ${role} LOGIN PASSWORD 'limited' CONNECTION LIMIT 1`);
    try {
      const url = new URL(database.url());
      url.username = role;
      url.password = 'limited';
      const db = pool('pewit-limited', { max: 2, idleTimeoutMillis: 0 }, url.toString());
      // One session first: two logins started at once may both be refused (each counts the other, still starting).
      await db.execute(sql`SELECT 1`);
      // Two transactions at once need two sessions; the role may hold one.
      const outcomes = await Promise.allSettled([
        db.atomic(() => db.execute(sql`SELECT pg_sleep(0.3)`)),
        db.atomic(() => db.execute(sql`SELECT pg_sleep(0.3)`)),
      ]);
      const failures = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toBeInstanceOf(OperationalError);
      expect((failures[0] as OperationalError).code).toBe('53300');
      expect((failures[0] as Error).message).toMatch(/too many connections for role/);
      expect((failures[0] as Error).message).not.toContain('limited@');
      // The one session that exists keeps working.
      expect((await db.execute(sql`SELECT 1 AS one`)).rows).toEqual([{ one: 1 }]);
      await db.close();
    } finally {
      await adminQuery(database.url(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1`, [role]);
      await adminQuery(database.url(), `DROP ROLE IF EXISTS ${role}`);
    }
  });
});
