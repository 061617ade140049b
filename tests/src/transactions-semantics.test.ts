import { type Database, DatabaseError, SerializationError, sql } from '@pewit/core';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { describe, expect, it } from 'vitest';
import { BACKENDS, deferred, type defineEntry, labels, useLedger } from './transactions-helpers.js';

const database = useTestDatabase();

describe.each(BACKENDS)('transactions on $name', (backend) => {
  let db: Database;
  let Entry: ReturnType<typeof defineEntry>;
  let Seen: ReturnType<typeof defineEntry>;
  useLedger(database.url, backend, (ledger) => {
    ({ db, Entry, Seen } = ledger);
  });

  it('commits, returns the value of fn, and reports BEGIN and COMMIT as query events', async () => {
    const log = recordQueries(db);
    const value = await db.atomic(async () => {
      await Entry.create({ label: 'a' });
      return 42;
    });
    log.stop();
    expect(value).toBe(42);
    expect(log.sql.map((s) => s.split(' ')[0])).toEqual(['BEGIN', 'INSERT', 'COMMIT']);
    expect(log.events.every((e) => e.path === 'async')).toBe(true);
    expect(await labels(Seen)).toEqual(['a']);
  });

  it('rolls back when fn throws and rethrows the same error', async () => {
    const boom = new Error('boom');
    const log = recordQueries(db);
    await expect(
      db.atomic(async () => {
        await Entry.create({ label: 'a' });
        throw boom;
      }),
    ).rejects.toBe(boom);
    log.stop();
    expect(log.sql.at(-1)).toBe('ROLLBACK');
    expect(await labels(Seen)).toEqual([]);
  });

  it('an inner failure undoes only its savepoint and the outer transaction goes on', async () => {
    const log = recordQueries(db);
    await db.atomic(async () => {
      await Entry.create({ label: 'outer-1' });
      await expect(
        db.atomic(async () => {
          await Entry.create({ label: 'inner' });
          await Entry.create({ label: 'inner' }); // unique violation inside the savepoint
        }),
      ).rejects.toThrow(/unique/i);
      await Entry.create({ label: 'outer-2' });
    });
    log.stop();
    expect(await labels(Seen)).toEqual(['outer-1', 'outer-2']);
    expect(log.sql.filter((s) => /SAVEPOINT|BEGIN|COMMIT|ROLLBACK/.test(s))).toEqual([
      'BEGIN',
      'SAVEPOINT pewit_sp_1',
      'ROLLBACK TO SAVEPOINT pewit_sp_1',
      'COMMIT',
    ]);
  });

  it('an outer failure discards savepoints that were released', async () => {
    await expect(
      db.atomic(async () => {
        await Entry.create({ label: 'outer' });
        await db.atomic(() => Entry.create({ label: 'inner' }));
        throw new Error('outer fails');
      }),
    ).rejects.toThrow('outer fails');
    expect(await labels(Seen)).toEqual([]);
  });

  it('nests deeply: a failure at level 3 keeps levels 1-2 and discards 3-4', async () => {
    const level = async (n: number, failAt: number): Promise<void> => {
      await Entry.create({ label: `level-${n}` });
      if (n === 4) {
        if (failAt === 4) throw new Error('fail at 4');
        return;
      }
      if (n + 1 === failAt) {
        await expect(db.atomic(() => level(n + 1, failAt))).rejects.toThrow(/fail at/);
      } else {
        await db.atomic(() => level(n + 1, failAt));
      }
      if (n === failAt) throw new Error(`fail at ${n}`);
    };
    // fails at 3 (after 4 was released): the savepoint of 3 takes 4 with it
    await db.atomic(() => level(1, 3));
    expect(await labels(Seen)).toEqual(['level-1', 'level-2']);
    await Entry.delete();
    await db.atomic(() => level(1, 99));
    expect(await labels(Seen)).toEqual(['level-1', 'level-2', 'level-3', 'level-4']);
  });

  it('applies isolationLevel and readOnly', async () => {
    const log = recordQueries(db);
    let seen: Record<string, unknown> | undefined;
    const settings = await db
      .atomic(
        async () => {
          const { rows } = await db.execute(sql`SELECT current_setting('transaction_isolation') AS level, current_setting('transaction_read_only') AS ro`);
          seen = rows[0];
          await expect(Entry.create({ label: 'nope' })).rejects.toThrow(/read-only transaction/);
        },
        { isolationLevel: 'serializable', readOnly: true },
      )
      .catch((error: unknown) => error);
    log.stop();
    // The failed INSERT aborts the transaction, so COMMIT comes back as ROLLBACK and pewit says so.
    expect(settings).toBeInstanceOf(DatabaseError);
    expect(String((settings as Error).message)).toMatch(/COMMIT was turned into ROLLBACK/);
    expect(log.sql[0]).toBe('BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY');
    expect(log.sql[1]).toMatch(/transaction_isolation/);
    // The server's own view of the transaction, not only the text pewit sent.
    expect(seen).toEqual({ level: 'serializable', ro: 'on' });

    const values = await db.atomic(
      async () => (await db.execute(sql`SELECT current_setting('transaction_isolation') AS level, current_setting('transaction_read_only') AS ro`)).rows[0],
      { isolationLevel: 'repeatable read' },
    );
    expect(values).toEqual({ level: 'repeatable read', ro: 'off' });
    await expect(db.atomic(() => 1, { isolationLevel: 'chaos' as 'serializable' })).rejects.toThrow(/unknown isolation level "chaos"/);
  });

  it('keeps uncommitted rows invisible to another connection until COMMIT', async () => {
    await db.atomic(async () => {
      await Entry.create({ label: 'pending' });
      expect(await Entry.select().count()).toBe(1);
      expect(await Seen.select().count()).toBe(0);
    });
    expect(await Seen.select().count()).toBe(1);
  });

  it('resolves a real serialization conflict by re-running the function when retries is set', async () => {
    await Entry.create({ label: 'counter', amount: 0 });
    const run = (retries: number) => {
      let attempts = 0;
      const result = db.atomic(
        async () => {
          attempts++;
          const row = await Entry.get(Entry.label.eq('counter'));
          // Another connection commits a change to the row this snapshot has read, on the first attempt only.
          if (attempts === 1) await Seen.update({ amount: Seen.amount.add(100) }).where(Seen.label.eq('counter'));
          row.amount += 1;
          await row.save();
          return row.amount;
        },
        { isolationLevel: 'serializable', retries },
      );
      return { result, attempts: () => attempts };
    };
    const failing = run(0);
    await expect(failing.result).rejects.toBeInstanceOf(SerializationError);
    expect(failing.attempts()).toBe(1);
    expect((await Seen.get(Seen.label.eq('counter'))).amount).toBe(100);

    const log = recordQueries(db);
    const retried = run(3);
    expect(await retried.result).toBe(201);
    log.stop();
    expect(retried.attempts()).toBe(2);
    expect(log.sql.filter((s) => /^(BEGIN|COMMIT|ROLLBACK)/.test(s))).toEqual([
      'BEGIN ISOLATION LEVEL SERIALIZABLE',
      'ROLLBACK',
      'BEGIN ISOLATION LEVEL SERIALIZABLE',
      'COMMIT',
    ]);
    expect((await Seen.get(Seen.label.eq('counter'))).amount).toBe(201);
  });

  it('turns a COMMIT that PostgreSQL rolled back into an error instead of losing writes silently', async () => {
    const failure = await db
      .atomic(async () => {
        await Entry.create({ label: 'kept?' });
        await Entry.create({ label: 'kept?' }).catch(() => undefined);
        // docs/errors.md: once a statement failed, every later one is refused with 25P02 until the end.
        const later = await Entry.select()
          .count()
          .catch((error: unknown) => error);
        expect(later).toBeInstanceOf(DatabaseError);
        expect(later).toMatchObject({ code: '25P02' });
      })
      .catch((error: unknown) => error);
    expect(String(failure)).toMatch(/COMMIT was turned into ROLLBACK/);
    expect(failure).toMatchObject({ code: '25P02', sql: 'COMMIT' });
    expect(await labels(Seen)).toEqual([]);
  });

  it('refuses a query started inside a transaction that runs after it ended', async () => {
    const late = deferred<unknown>();
    await db.atomic(() => {
      // The timer keeps the transaction's async context but fires after COMMIT.
      setTimeout(() => late.resolve(Entry.create({ label: 'late' }).catch((error: unknown) => error)), 0);
    });
    expect(String(await late.promise)).toMatch(/transaction has already ended/);
    expect(await labels(Seen)).toEqual([]);
  });
});
