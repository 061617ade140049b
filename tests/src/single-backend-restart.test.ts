// Proves docs/backends.md "Faults on the async path" for the single-connection backend, and the blocking path's
// recovery: after a server restart, statements fail with OperationalError while it is down and work again once it
// is back, without restarting the process (the pooled twin is in pool-faults.test.ts).
import { OperationalError, sql } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { startRestartableServer } from '@pewit/test-support/restartable-server';
import { describe, expect, it } from 'vitest';

describe('PostgresqlDatabase across a server restart', () => {
  it('fails with OperationalError while the server is down and recovers on both paths once it is back', { timeout: 120_000 }, async () => {
    const server = await startRestartableServer();
    const db = new PostgresqlDatabase(server.url);
    try {
      await db.execute(sql`CREATE TABLE survivors (id int)`);
      await db.execute(sql`INSERT INTO survivors VALUES (1)`);
      const before = (await db.execute(sql`SELECT pg_backend_pid() AS pid`)).rows[0]?.pid;
      expect(db.executeSync(sql`SELECT count(*)::int AS n FROM survivors`).rows).toEqual([{ n: 1 }]);

      await server.stop();
      await expect(db.execute(sql`SELECT 1`)).rejects.toBeInstanceOf(OperationalError);
      expect(() => db.executeSync(sql`SELECT 1`)).toThrow(OperationalError);
      // Still down: a second try fails the same way, it does not hang.
      await expect(db.execute(sql`SELECT 1`)).rejects.toBeInstanceOf(OperationalError);

      await server.start();
      // The blocking call that failed while the server was down already reported the loss: the next one reconnects.
      expect(db.executeSync(sql`SELECT count(*)::int AS n FROM survivors`).rows).toEqual([{ n: 1 }]);
      const results = await Promise.all(Array.from({ length: 5 }, () => db.execute(sql`SELECT count(*)::int AS n FROM survivors`)));
      expect(results.map((r) => r.rows[0]?.n)).toEqual([1, 1, 1, 1, 1]);
      expect((await db.execute(sql`SELECT pg_backend_pid() AS pid`)).rows[0]?.pid).not.toBe(before);
      expect(await db.atomic(async () => (await db.execute(sql`INSERT INTO survivors VALUES (2) RETURNING id`)).rows[0]?.id)).toBe(2);
    } finally {
      await db.close();
      await server.destroy();
    }
  });
});
