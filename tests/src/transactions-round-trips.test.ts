// A transaction's BEGIN (and a savepoint's SAVEPOINT) goes out with the first statement inside it, in one round
// trip, counted on the wire by a relay in front of the real server (round-trips.ts): ReadyForQuery messages.
import { type Database, DatabaseError, IntegrityError, sql } from '@pewit/core';
import { countRoundTrips, type RoundTripCounter, recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, type defineEntry, labels, useLedger } from './transactions-helpers.js';

const database = useTestDatabase();

describe.each(BACKENDS)('round trips of a transaction on $name', (backend) => {
  let relay: RoundTripCounter;
  let db: Database;
  let Entry: ReturnType<typeof defineEntry>;
  let Seen: ReturnType<typeof defineEntry>;
  beforeAll(async () => {
    relay = await countRoundTrips(database.url());
  });
  afterAll(() => relay.close());
  useLedger(
    () => relay.url,
    backend,
    (ledger) => {
      ({ db, Entry, Seen } = ledger);
    },
  );
  beforeEach(async () => {
    // A warm connection (login and the one-time pooler check done), so only the statements under test are counted.
    await Entry.select().limit(1);
    relay.reset();
  });

  it('sends BEGIN with the first statement: an UPDATE in a transaction takes two round trips, not three', async () => {
    await Entry.create({ label: 'a' });
    relay.reset();
    const log = recordQueries(db);
    const changed = await db.atomic(() => Entry.update({ amount: Entry.amount.add(5) }).where(Entry.label.eq('a')));
    log.stop();
    expect(changed).toBe(1);
    expect(relay.roundTrips).toBe(2);
    expect(log.sql.map((s) => s.split(' ')[0])).toEqual(['BEGIN', 'UPDATE', 'COMMIT']);
    expect(log.events.every((e) => e.error === undefined)).toBe(true);
    expect(await Seen.select(Seen.amount).where(Seen.label.eq('a')).scalar()).toBe(5);
  });

  it('sends a savepoint with the first statement inside it, and raw SQL without parameters takes BEGIN along too', async () => {
    const log = recordQueries(db);
    const isolation = await db.atomic(
      async () => {
        const { rows } = await db.execute(sql`SHOW transaction_isolation`);
        await db.atomic(() => Entry.create({ label: 'inner' }));
        return rows[0]?.transaction_isolation;
      },
      { isolationLevel: 'repeatable read' },
    );
    log.stop();
    expect(isolation).toBe('repeatable read');
    // BEGIN + SHOW, SAVEPOINT + INSERT, RELEASE, COMMIT.
    expect(relay.roundTrips).toBe(4);
    expect(log.sql.map((s) => s.split(' ')[0])).toEqual(['BEGIN', 'SHOW', 'SAVEPOINT', 'INSERT', 'RELEASE', 'COMMIT']);
    expect(await labels(Seen)).toEqual(['inner']);
  });

  it('an empty transaction still sends BEGIN and COMMIT, in one round trip', async () => {
    const log = recordQueries(db);
    expect(await db.atomic(() => 'nothing')).toBe('nothing');
    log.stop();
    expect(relay.roundTrips).toBe(1);
    expect(log.sql).toEqual(['BEGIN', 'COMMIT']);
  });

  it('a first statement that fails reports its own SQL and rolls the transaction back', async () => {
    await Entry.create({ label: 'taken' });
    relay.reset();
    const log = recordQueries(db);
    const error = await db.atomic(() => Entry.create({ label: 'taken' })).catch((e: unknown) => e);
    log.stop();
    expect(error).toBeInstanceOf(IntegrityError);
    expect((error as DatabaseError).sql).toMatch(/^INSERT INTO/);
    expect(log.sql.map((s) => s.split(' ')[0])).toEqual(['BEGIN', 'INSERT', 'ROLLBACK']);
    expect(log.events.map((e) => e.error !== undefined)).toEqual([false, true, false]);
    expect(await labels(Seen)).toEqual(['taken']);
  });

  it('a SAVEPOINT that fails (the transaction is already aborted) is the error, and the statement behind it never runs', async () => {
    const log = recordQueries(db);
    let inner: unknown;
    const outer = await db
      .atomic(async () => {
        await db.execute(sql`SELECT 1 / 0`).catch(() => undefined); // aborts the transaction; the error is swallowed
        inner = await db.atomic(() => Entry.create({ label: 'never' })).catch((e: unknown) => e);
      })
      .catch((e: unknown) => e);
    log.stop();
    // The swallowed error left the transaction aborted, so its COMMIT became a ROLLBACK.
    expect((outer as DatabaseError).code).toBe('25P02');
    expect(inner).toBeInstanceOf(DatabaseError);
    expect((inner as DatabaseError).sql).toBe('SAVEPOINT pewit_sp_1');
    expect((inner as DatabaseError).code).toBe('25P02');
    const savepoint = log.events.find((e) => e.sql === 'SAVEPOINT pewit_sp_1');
    expect(savepoint?.error).toBe(inner);
    expect(log.sql.some((s) => s.startsWith('INSERT'))).toBe(false);
    expect(await labels(Seen)).toEqual([]);
  });

  it('a cursor as the first statement sends BEGIN on its own first, and reads inside the transaction', async () => {
    await Entry.insertMany([{ label: 'x', amount: 1 }, { label: 'y' }]);
    const read = recordQueries(db);
    const amounts = await db.atomic(async () => {
      const out: [number, boolean][] = [];
      for await (const e of Entry.select().orderBy(Entry.label).iterator()) out.push([e.amount, e.label === 'x']);
      return out;
    });
    read.stop();
    expect(amounts).toEqual([
      [1, true],
      [0, false],
    ]);
    expect(read.sql.map((s) => s.split(' ')[0])).toEqual(['BEGIN', 'SELECT', 'COMMIT']);
  });
});
