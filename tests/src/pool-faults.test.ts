import { OperationalError, sql } from '@pewit/core';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { adminQuery, useTestDatabase } from '@pewit/test-support';
import { startRestartableServer } from '@pewit/test-support/restartable-server';
import { describe, expect, it } from 'vitest';

const database = useTestDatabase();

function poolUrl(name: string): string {
  const url = new URL(database.url());
  url.searchParams.set('application_name', name);
  return url.toString();
}

/** Waits (bounded) until `done()` holds: the pool notices dead sessions through socket events, not instantly. */
async function until(done: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`gave up waiting until ${what}`);
}

async function activeSessions(name: string, state?: string): Promise<number> {
  const { rows } = await adminQuery(
    database.url(),
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND ($2::text IS NULL OR state = $2) AND query LIKE '%pg_sleep(10)%'`,
    [name, state ?? null],
  );
  return rows[0].n;
}

describe('the pooled backend under faults, on a real server', () => {
  it('survives pg_terminate_backend on every pool connection: only the in-flight work fails, then everything works', { timeout: 30_000 }, async () => {
    const pool = new PooledPostgresqlDatabase(poolUrl('pewit-kill'), { max: 5 });
    try {
      await Promise.all(Array.from({ length: 5 }, () => pool.execute(sql`SELECT pg_sleep(0.02)`)));
      expect(pool.totalCount).toBe(5);
      // Two statements running, one transaction idle between statements, two connections idle in the pool.
      // Settled handlers attached now: the rejections arrive while the test awaits something else.
      const running = Promise.allSettled([pool.execute(sql`SELECT pg_sleep(10)`), pool.execute(sql`SELECT pg_sleep(10)`)]);
      const tx = await pool.begin();
      await tx.run(() => pool.execute(sql`SELECT 1`));
      await until(async () => (await activeSessions('pewit-kill', 'active')) === 2, 'both sleeps run on the server');

      const { rows } = await adminQuery(
        database.url(),
        `SELECT count(pg_terminate_backend(pid))::int AS killed FROM pg_stat_activity WHERE application_name = 'pewit-kill'`,
      );
      expect(rows[0].killed).toBe(5);

      const outcomes = await running;
      for (const outcome of outcomes) {
        expect(outcome.status).toBe('rejected');
        expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(OperationalError);
      }
      // The transaction's connection died while checked out: its 'error' event was absorbed, its next statement fails.
      await expect(tx.run(() => pool.execute(sql`SELECT 1`))).rejects.toBeInstanceOf(OperationalError);
      await tx.rollback().catch(() => undefined);
      // The killed idle connections were dropped by the pool (an 'error' on an idle client must not crash the process).
      await until(() => pool.totalCount === 0, 'the pool dropped every killed connection');

      const after = await Promise.all(Array.from({ length: 50 }, (_, i) => pool.execute(sql`SELECT ${i}::int AS i`)));
      expect(after.map((r) => r.rows[0]?.i)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      expect(await pool.atomic(async () => (await pool.execute(sql`SELECT 2 AS two`)).rows[0]?.two)).toBe(2);
      expect(pool.idleCount).toBe(pool.totalCount);
    } finally {
      await pool.close();
    }
  });

  it('discards the pinned connection of a transaction killed mid-statement and keeps serving', { timeout: 30_000 }, async () => {
    const pool = new PooledPostgresqlDatabase(poolUrl('pewit-kill-tx'), { max: 2 });
    try {
      const pids = new Set<number>();
      const doomed = pool
        .atomic(async () => {
          pids.add((await pool.execute(sql`SELECT pg_backend_pid() AS pid`)).rows[0]?.pid as number);
          await pool.execute(sql`SELECT pg_sleep(10)`);
        })
        .catch((error: unknown) => error);
      await until(async () => (await activeSessions('pewit-kill-tx', 'active')) === 1, 'the transaction sleeps on the server');
      const [killed] = [...pids];
      await adminQuery(database.url(), 'SELECT pg_terminate_backend($1)', [killed]);
      expect(await doomed).toBeInstanceOf(OperationalError);
      expect(pool.totalCount).toBe(0);
      const next = (await pool.execute(sql`SELECT pg_backend_pid() AS pid`)).rows[0]?.pid;
      expect(next).not.toBe(killed);
    } finally {
      await pool.close();
    }
  });

  it('recovers after the server restarts, without restarting the process', { timeout: 120_000 }, async () => {
    const server = await startRestartableServer();
    const pool = new PooledPostgresqlDatabase(server.url, { max: 3, connectionTimeoutMillis: 5_000 });
    try {
      await Promise.all(Array.from({ length: 3 }, () => pool.execute(sql`SELECT pg_sleep(0.02)`)));
      expect(pool.totalCount).toBe(3);
      await pool.execute(sql`CREATE TABLE survivors (id int)`);
      await pool.execute(sql`INSERT INTO survivors VALUES (1)`);

      await server.stop();
      await expect(pool.execute(sql`SELECT 1`)).rejects.toBeInstanceOf(OperationalError);

      await server.start();
      const results = await Promise.all(Array.from({ length: 20 }, () => pool.execute(sql`SELECT count(*)::int AS n FROM survivors`)));
      expect(results.map((r) => r.rows[0]?.n)).toEqual(Array.from({ length: 20 }, () => 1));
      expect(await pool.atomic(async () => (await pool.execute(sql`INSERT INTO survivors VALUES (2) RETURNING id`)).rows[0]?.id)).toBe(2);
      expect(pool.idleCount).toBe(pool.totalCount);
    } finally {
      await pool.close();
      await server.destroy();
    }
  });
});
