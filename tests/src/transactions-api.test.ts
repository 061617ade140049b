// Proves the parts of docs/transactions.md that transactions-semantics/-concurrency do not: a synchronous fn,
// options of a nested atomic, db.inTransaction and other databases, begin()'s run/commit/state rules (a savepoint
// whose RELEASE fails is rolled back to), and the query events of transaction control.
import { type Database, DatabaseError, sql } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, backendPid, type defineEntry, labels, useLedger } from './transactions-helpers.js';

const database = useTestDatabase();

const isolation = async (db: Database) => (await db.execute(sql`SELECT current_setting('transaction_isolation') AS level`)).rows[0]?.level as string;

describe.each(BACKENDS)('the transaction API on $name', (backend) => {
  let db: Database;
  let Entry: ReturnType<typeof defineEntry>;
  let Seen: ReturnType<typeof defineEntry>;
  useLedger(database.url, backend, (ledger) => {
    ({ db, Entry, Seen } = ledger);
  });

  it('fn may be synchronous: its return value commits, its throw rolls back with the same error', async () => {
    const log = recordQueries(db);
    expect(await db.atomic(() => 7)).toBe(7);
    const boom = new Error('sync boom');
    await expect(
      db.atomic(() => {
        throw boom;
      }),
    ).rejects.toBe(boom);
    log.stop();
    expect(log.sql).toEqual(['BEGIN', 'COMMIT', 'BEGIN', 'ROLLBACK']);
  });

  it('options of a nested atomic do not apply: it opens a savepoint, and the transaction keeps its level', async () => {
    const log = recordQueries(db);
    const levels = await db.atomic(async () => {
      const outer = await isolation(db);
      const inner = await db.atomic(() => isolation(db), { isolationLevel: 'serializable', readOnly: true });
      await Entry.create({ label: 'written after a read-only savepoint' });
      return [outer, inner];
    });
    log.stop();
    expect(levels).toEqual(['read committed', 'read committed']);
    expect(log.sql.filter((s) => /^(BEGIN|SAVEPOINT|RELEASE)/.test(s))).toEqual(['BEGIN', 'SAVEPOINT pewit_sp_1', 'RELEASE SAVEPOINT pewit_sp_1']);
    expect(await labels(Seen)).toEqual(['written after a read-only savepoint']);
  });

  it('db.inTransaction is true inside atomic() of this database only; another database object does not join', async () => {
    const other = new PostgresqlDatabase(database.url());
    try {
      expect(db.inTransaction).toBe(false);
      await db.atomic(async () => {
        expect(db.inTransaction).toBe(true);
        expect(other.inTransaction).toBe(false);
        await Entry.create({ label: 'inside' });
        // The other database's query runs on its own session, outside this transaction: it cannot see the row.
        const { rows } = await other.execute(sql`SELECT count(*)::int AS n FROM ${sql.identifier(Entry._meta.table)}`);
        expect(rows[0]?.n).toBe(0);
        expect(await backendPid(other)).not.toBe(await backendPid(db));
      });
      expect(db.inTransaction).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('begin(): a savepoint whose RELEASE fails is rolled back to and the error rethrown; the transaction goes on', async () => {
    const log = recordQueries(db);
    const tx = await db.begin();
    expect(tx.state).toBe('open');
    expect(tx.isSavepoint).toBe(false);
    await tx.run(async () => {
      await Entry.create({ label: 'kept' });
      const sp = await db.begin();
      await sp.run(async () => {
        await Entry.create({ label: 'kept' }).catch(() => undefined); // aborts the savepoint
      });
      const error = await sp.commit().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DatabaseError);
      expect(sp.state).toBe('failed');
      await Entry.create({ label: 'after the savepoint' });
    });
    await tx.commit();
    log.stop();
    expect(await labels(Seen)).toEqual(['after the savepoint', 'kept']);
    expect(log.sql.filter((s) => /^(BEGIN|SAVEPOINT|RELEASE|ROLLBACK|COMMIT)/.test(s))).toEqual([
      'BEGIN',
      'SAVEPOINT pewit_sp_1',
      'RELEASE SAVEPOINT pewit_sp_1',
      'ROLLBACK TO SAVEPOINT pewit_sp_1',
      'COMMIT',
    ]);
    // The failed RELEASE's query event carries its error; the control statements' params are [].
    const release = log.events.find((e) => e.sql === 'RELEASE SAVEPOINT pewit_sp_1');
    expect(release?.error).toBeInstanceOf(DatabaseError);
    for (const e of log.events.filter((e) => /^(BEGIN|SAVEPOINT|RELEASE|ROLLBACK|COMMIT)/.test(e.sql))) expect(e.params).toEqual([]);
  });

  it('begin(): commit() waits for a statement still running inside; rollback() of an ended transaction throws', async () => {
    const tx = await db.begin();
    const running = tx.run(() => db.execute(sql`SELECT pg_sleep(0.05), 'done' AS result`));
    const log = recordQueries(db);
    await tx.commit();
    log.stop();
    expect((await running).rows[0]?.result).toBe('done');
    expect(log.sql.at(-1)).toBe('COMMIT');
    expect(log.events.findIndex((e) => e.sql.includes('pg_sleep'))).toBeLessThan(log.sql.indexOf('COMMIT'));
    await expect(tx.rollback()).rejects.toThrow(/already committed/);
  });

  it.runIf(backend.pooled)('begin(): code outside run() runs outside the transaction, on another connection', async () => {
    const tx = await db.begin();
    try {
      await tx.run(() => Entry.create({ label: 'in tx' }));
      expect(await backendPid(db)).not.toBe(tx.processId);
      expect(await Entry.select().count()).toBe(0);
      expect(await tx.run(() => Entry.select().count())).toBe(1);
    } finally {
      await tx.rollback();
    }
  });

  it('control statements are query events without an evaluation event', async () => {
    const evaluations: string[] = [];
    const stop = db.on('evaluation', (e) => evaluations.push(e.sql));
    const log = recordQueries(db);
    await db.atomic(async () => {
      await db.atomic(() => Entry.create({ label: 'one' }));
    });
    stop();
    log.stop();
    expect(log.sql.map((s) => s.split(' ')[0])).toEqual(['BEGIN', 'SAVEPOINT', 'INSERT', 'RELEASE', 'COMMIT']);
    expect(evaluations).toEqual([expect.stringMatching(/^INSERT INTO/)]);
  });
});

describe('atomicSync control statements', () => {
  let db: PostgresqlDatabase;
  beforeAll(() => {
    db = new PostgresqlDatabase(database.url());
  });
  afterAll(() => db.close());

  it('are query events on the blocking path, named pewit_sync_sp_N, with params []', () => {
    const log = recordQueries(db);
    expect(db.atomicSync(() => db.atomicSync(() => db.atomicSync(() => 'deepest')))).toBe('deepest');
    log.stop();
    expect(log.sql).toEqual([
      'BEGIN',
      'SAVEPOINT pewit_sync_sp_1',
      'SAVEPOINT pewit_sync_sp_2',
      'RELEASE SAVEPOINT pewit_sync_sp_2',
      'RELEASE SAVEPOINT pewit_sync_sp_1',
      'COMMIT',
    ]);
    expect(log.events.every((e) => e.path === 'blocking' && e.params.length === 0)).toBe(true);
  });
});
