// Proves docs/transactions.md "A connection lost during COMMIT": the transaction rejects with OperationalError, is
// never retried (whatever `retries` says) and never reported as committed; the next statement works.
import { type Database, OperationalError, sql } from '@pewit/core';
import { adminQuery, useTestDatabase } from '@pewit/test-support';
import { describe, expect, it } from 'vitest';
import { BACKENDS, type defineEntry, useLedger } from './transactions-helpers.js';

const database = useTestDatabase();

describe.each(BACKENDS)('a connection lost during COMMIT on $name', (backend) => {
  let db: Database;
  let observer: Database;
  let Entry: ReturnType<typeof defineEntry>;
  let Seen: ReturnType<typeof defineEntry>;
  const table = `entries_${backend.pooled ? 'pooled' : 'single'}`;
  useLedger(database.url, backend, (ledger) => {
    ({ db, observer, Entry, Seen } = ledger);
  });

  it('rejects with OperationalError, is not retried, saves nothing, and the next statement works', async () => {
    // A deferred constraint trigger runs at COMMIT: it makes COMMIT itself take a second, long enough to kill it.
    await adminQuery(
      database.url(),
      `
      CREATE OR REPLACE FUNCTION slow_commit_${table}() RETURNS trigger LANGUAGE plpgsql AS
        $$ BEGIN PERFORM pg_sleep(1); RETURN NULL; END $$;
      DROP TRIGGER IF EXISTS slow_commit ON ${table};
      CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON ${table} DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW WHEN (NEW.label = 'doomed') EXECUTE FUNCTION slow_commit_${table}();`,
    );
    try {
      const sent: string[] = [];
      const stop = db.on('query', (e) => sent.push(e.sql));
      let pid = 0;
      const outcome = db
        .atomic(
          async () => {
            pid = (await db.execute(sql`SELECT pg_backend_pid() AS pid`)).rows[0]?.pid as number;
            await Entry.create({ label: 'doomed' });
          },
          { retries: 3 },
        )
        .then(
          () => 'committed',
          (error: unknown) => error,
        );
      // Wait until the session is inside its COMMIT, then kill it there.
      let inCommit = false;
      for (let i = 0; i < 200 && !inCommit; i++) {
        const { rows } = await observer.execute(sql`SELECT query FROM pg_stat_activity WHERE pid = ${pid} AND state = 'active'`);
        inCommit = rows[0]?.query === 'COMMIT';
        if (!inCommit) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(inCommit).toBe(true);
      await observer.execute(sql`SELECT pg_terminate_backend(${pid})`);
      const error = await outcome;
      stop();
      expect(error).toBeInstanceOf(OperationalError);
      expect(sent.filter((s) => s.startsWith('BEGIN'))).toHaveLength(1);
      expect(await Seen.select().where(Seen.label.eq('doomed')).count()).toBe(0);
      expect((await db.execute(sql`SELECT 1 AS one`)).rows).toEqual([{ one: 1 }]);
      await Entry.create({ label: 'after' });
      expect(await Seen.select().where(Seen.label.eq('after')).count()).toBe(1);
    } finally {
      await adminQuery(database.url(), `DROP TRIGGER IF EXISTS slow_commit ON ${table}; DROP FUNCTION IF EXISTS slow_commit_${table}()`);
    }
  });
});
