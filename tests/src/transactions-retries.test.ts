// Proves docs/transactions.md "Retries on SerializationError": deadlocks retried, other errors never retried,
// a growing delay between attempts, only the outermost atomic retries, and the SerializationError propagates once the retries are used up.
import { type Database, ProgrammingError, SerializationError, sql } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { describe, expect, it } from 'vitest';
import { BACKENDS, type defineEntry, useLedger } from './transactions-helpers.js';

const database = useTestDatabase();

describe.each(BACKENDS)('retries on $name', (backend) => {
  let db: Database;
  let observer: Database;
  let Entry: ReturnType<typeof defineEntry>;
  let Seen: ReturnType<typeof defineEntry>;
  const table = `entries_${backend.pooled ? 'pooled' : 'single'}`; // the table useLedger creates
  useLedger(database.url, backend, (ledger) => {
    ({ db, observer, Entry, Seen } = ledger);
  });

  /**
   * A serializable read-modify-write of the row 'counter' that another connection changes between the read and the
   * write on each of the first `conflicts` attempts, so each of those attempts fails with a real 40001.
   */
  function conflicted(conflicts: number, retries: number, nested = false) {
    let attempts = 0;
    const body = async () => {
      attempts++;
      const row = await Entry.get(Entry.label.eq('counter'));
      if (attempts <= conflicts) await Seen.update({ amount: Seen.amount.add(100) }).where(Seen.label.eq('counter'));
      row.amount += 1;
      await row.save();
      return row.amount;
    };
    const result = nested
      ? db.atomic(() => db.atomic(body, { retries }), { isolationLevel: 'serializable' })
      : db.atomic(body, { isolationLevel: 'serializable', retries });
    return { result, attempts: () => attempts };
  }

  it('retries as often as needed within the limit: three conflicts, retries: 3, the fourth attempt commits', async () => {
    await Entry.create({ label: 'counter', amount: 0 });
    const log = recordQueries(db);
    const run = conflicted(3, 3);
    expect(await run.result).toBe(301);
    log.stop();
    expect(run.attempts()).toBe(4);
    expect(log.sql.filter((s) => /^(BEGIN|COMMIT|ROLLBACK)/.test(s))).toEqual([
      ...Array.from({ length: 3 }, () => ['BEGIN ISOLATION LEVEL SERIALIZABLE', 'ROLLBACK']).flat(),
      'BEGIN ISOLATION LEVEL SERIALIZABLE',
      'COMMIT',
    ]);
    expect((await Seen.get(Seen.label.eq('counter'))).amount).toBe(301);
  });

  it('waits a growing delay between attempts: at least 2.5 ms, then 5 ms, then 10 ms (5 ms × 2^attempt, randomised ±50 %)', async () => {
    await Entry.create({ label: 'counter', amount: 0 });
    const marks: { sql: string; at: number }[] = [];
    const stop = db.on('query', (e) => marks.push({ sql: e.sql, at: performance.now() }));
    const run = conflicted(3, 3);
    await run.result;
    stop();
    // The gap from the end of each ROLLBACK to the end of the next BEGIN holds the delay; a slow machine only adds.
    const gaps: number[] = [];
    for (const [i, mark] of marks.entries()) {
      if (mark.sql !== 'ROLLBACK') continue;
      const next = marks.slice(i + 1).find((m) => m.sql.startsWith('BEGIN'));
      if (next) gaps.push(next.at - mark.at);
    }
    expect(gaps).toHaveLength(3);
    expect(gaps[0]).toBeGreaterThanOrEqual(2.5);
    expect(gaps[1]).toBeGreaterThanOrEqual(5);
    expect(gaps[2]).toBeGreaterThanOrEqual(10);
  });

  it('running out of retries: the last SerializationError propagates after 1 + retries attempts', async () => {
    await Entry.create({ label: 'counter', amount: 0 });
    const run = conflicted(10, 2);
    const error = await run.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SerializationError);
    expect((error as SerializationError).code).toBe('40001');
    expect(run.attempts()).toBe(3);
    // Each failed attempt rolled back its own +1; only the other connection's three updates remain.
    expect((await Seen.get(Seen.label.eq('counter'))).amount).toBe(300);
  });

  it('never retries other errors, however many retries are allowed', async () => {
    let attempts = 0;
    const error = await db
      .atomic(
        async () => {
          attempts++;
          await db.execute(sql`SELECT no_such_column FROM ${sql.identifier(table)}`);
        },
        { isolationLevel: 'serializable', retries: 5 },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProgrammingError);
    expect(attempts).toBe(1);
  });

  it('only the outermost atomic retries: a nested atomic with retries rethrows the serialization failure', async () => {
    await Entry.create({ label: 'counter', amount: 0 });
    const run = conflicted(1, 5, true);
    const error = await run.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SerializationError);
    expect(run.attempts()).toBe(1);
    expect((await Seen.get(Seen.label.eq('counter'))).amount).toBe(100);
  });

  it('a deadlock (40P01) is retried like a serialization failure', async () => {
    await Entry.insertMany([{ label: 'a' }, { label: 'b' }]);
    // The other session locks 'b' and, once this transaction holds 'a', asks for 'a': a real deadlock, which the
    // server breaks in this session (its deadlock_timeout is shorter) on the first attempt only.
    const rival = new PostgresqlDatabase(database.url());
    let attempts = 0;
    let rivalDone: Promise<unknown> | undefined;
    try {
      const amount = await db.atomic(
        async () => {
          attempts++;
          // The rollback freed 'a' for the rival, but a busy machine may let this attempt take 'a' back first and
          // deadlock again; the retry under test is the one after the first deadlock, so let the rival finish.
          if (attempts > 1) await rivalDone;
          await db.execute(sql`SET LOCAL deadlock_timeout = '20ms'`);
          await db.execute(sql`UPDATE ${sql.identifier(table)} SET amount = amount + 1 WHERE label = 'a'`);
          if (attempts === 1) {
            let rivalHoldsB!: () => void;
            const holdsB = new Promise<void>((resolve) => {
              rivalHoldsB = resolve;
            });
            let rivalPid = 0;
            rivalDone = rival.atomic(async () => {
              rivalPid = (await rival.execute(sql`SELECT pg_backend_pid() AS pid`)).rows[0]?.pid as number;
              await rival.execute(sql`SET LOCAL deadlock_timeout = '10s'`);
              await rival.execute(sql`UPDATE ${sql.identifier(table)} SET amount = amount + 10 WHERE label = 'b'`);
              rivalHoldsB();
              await rival.execute(sql`UPDATE ${sql.identifier(table)} SET amount = amount + 10 WHERE label = 'a'`);
            });
            await holdsB;
            await waitUntilWaitingOnLock(observer, rivalPid);
          }
          await db.execute(sql`UPDATE ${sql.identifier(table)} SET amount = amount + 1 WHERE label = 'b'`);
          return attempts;
        },
        { retries: 2 },
      );
      expect(amount).toBe(2);
      await rivalDone;
    } finally {
      await rivalDone?.catch(() => undefined);
      await rival.close();
    }
    const rows = await Seen.select().orderBy(Seen.label.asc());
    expect(rows.map((r) => [r.label, r.amount])).toEqual([
      ['a', 11],
      ['b', 11],
    ]);
  });
});

/** Waits until the session with this backend PID waits for a lock. */
async function waitUntilWaitingOnLock(observer: Database, pid: number): Promise<void> {
  for (;;) {
    const { rows } = await observer.execute(sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid = ${pid}`);
    if ((rows[0]?.n as number) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
