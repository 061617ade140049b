import { AsyncResource } from 'node:async_hooks';
import { type Database, sql } from '@pewit/core';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { describe, expect, it } from 'vitest';
import { BACKENDS, backendPid, type defineEntry, labels, useLedger } from './transactions-helpers.js';

const database = useTestDatabase();

describe.each(BACKENDS)('transaction propagation and isolation on $name', (backend) => {
  let db: Database;
  let Entry: ReturnType<typeof defineEntry>;
  let Seen: ReturnType<typeof defineEntry>;
  useLedger(database.url, backend, (ledger) => {
    ({ db, Entry, Seen } = ledger);
  });

  it('runs every statement of a transaction on one backend PID, across awaits, timers, Promise.all and savepoints', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    const pids = await db.atomic(async () => {
      const seen: number[] = [await backendPid(db)];
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(await backendPid(db));
      seen.push(await new Promise<number>((resolve, reject) => setTimeout(() => backendPid(db).then(resolve, reject), 1)));
      seen.push(await new Promise<number>((resolve, reject) => setImmediate(() => backendPid(db).then(resolve, reject))));
      seen.push(...(await Promise.all(Array.from({ length: 8 }, () => backendPid(db)))));
      seen.push(...(await Promise.all([db.atomic(() => backendPid(db)), Entry.create({ label: 'x' }).then(() => backendPid(db))])));
      seen.push(await db.atomic(() => db.atomic(() => backendPid(db))));
      return seen;
    });
    process.off('warning', onWarning);
    expect(pids).toHaveLength(15);
    expect(new Set(pids).size).toBe(1);
    // Statements inside a transaction take turns: pg never sees overlapping queries on the connection.
    expect(warnings.filter((w) => /already executing a query/.test(w))).toEqual([]);
  });

  it('runs 20 concurrent transactions, half failing, leaving exactly the other half', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        db.atomic(async () => {
          await Entry.create({ label: `t${String(i).padStart(2, '0')}-a` });
          await new Promise((resolve) => setTimeout(resolve, (i * 7) % 5));
          await Entry.create({ label: `t${String(i).padStart(2, '0')}-b` });
          if (i % 2 === 1) throw new Error(`transaction ${i} fails`);
          return i;
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => r.value)).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    const expected = [0, 2, 4, 6, 8, 10, 12, 14, 16, 18].flatMap((i) => [`t${String(i).padStart(2, '0')}-a`, `t${String(i).padStart(2, '0')}-b`]);
    expect(await labels(Seen)).toEqual(expected);
  });

  it('never lets work from outside a transaction land inside it', async () => {
    // Bound here, so calling it inside the transaction still runs in this (outside) async context.
    const outside = AsyncResource.bind(() => Entry.create({ label: 'outside' }).then(() => backendPid(db)));
    const log = recordQueries(db);
    let outsideDone: Promise<number> | undefined;
    let insidePid = 0;
    await expect(
      db.atomic(async () => {
        insidePid = await backendPid(db);
        await Entry.create({ label: 'inside-1' });
        outsideDone = outside();
        // Pooled: the outside work runs meanwhile on another connection. Single connection: it must wait for the transaction.
        if (backend.pooled) await outsideDone;
        else await db.execute(sql`SELECT pg_sleep(0.02)`);
        await Entry.create({ label: 'inside-2' });
        throw new Error('undo the inside');
      }),
    ).rejects.toThrow('undo the inside');
    const outsidePid = await outsideDone;
    log.stop();
    expect(await labels(Seen)).toEqual(['outside']);
    expect(log.sql).toContain('ROLLBACK');
    if (backend.pooled) {
      expect(outsidePid).not.toBe(insidePid);
    } else {
      // The outside INSERT was sent only after the transaction ended.
      const rollbackAt = log.sql.indexOf('ROLLBACK');
      const lastInsertAt = log.sql.findLastIndex((s) => s.startsWith('INSERT'));
      expect(lastInsertAt).toBeGreaterThan(rollbackAt);
      expect(log.sql.filter((s) => s.startsWith('INSERT'))).toHaveLength(3);
    }
  });

  it('serializes concurrent atomic calls on the single connection, and runs them side by side on the pool', async () => {
    let started = 0;
    let allStarted!: () => void;
    const everyoneStarted = new Promise<void>((resolve) => {
      allStarted = resolve;
    });
    const pids = await Promise.all(
      Array.from({ length: 4 }, () =>
        db.atomic(async () => {
          const pid = await backendPid(db);
          // On the pool all four hold their connection before any sleeps (on one connection that would never happen).
          if (backend.pooled && ++started === 4) allStarted();
          if (backend.pooled) await everyoneStarted;
          const { rows } = await db.execute(sql`SELECT clock_timestamp()::text AS started, pg_sleep(0.02)::text AS slept, clock_timestamp()::text AS ended`);
          return { pid, ...(rows[0] as { started: string; ended: string }) };
        }),
      ),
    );
    expect(new Set(pids.map((p) => p.pid)).size).toBe(backend.pooled ? 4 : 1);
    // The server's clock: on the single connection no two transactions' sleeps overlap; on the pool they do.
    const spans = JSON.stringify(pids.map(({ started, ended }) => ({ started, ended })));
    const { rows } = await db.execute(
      sql`SELECT count(*)::int AS overlaps FROM jsonb_to_recordset(${spans}::jsonb) a(started timestamptz, ended timestamptz)
          JOIN jsonb_to_recordset(${spans}::jsonb) b(started timestamptz, ended timestamptz) ON a.started < b.started AND b.started < a.ended`,
    );
    if (backend.pooled) expect(rows[0]?.overlaps).toBeGreaterThan(0);
    else expect(rows[0]?.overlaps).toBe(0);
  });

  it('supports manual begin(), run(), commit() and rollback() with the same propagation', async () => {
    const log = recordQueries(db);
    const tx = await db.begin();
    const pid = await tx.run(async () => {
      await Entry.create({ label: 'manual-1' });
      return backendPid(db);
    });
    expect(tx.processId).toBe(pid);
    expect(await Seen.select().count()).toBe(0);
    // A nested begin() inside run() is a savepoint.
    await tx.run(async () => {
      const sp = await db.begin();
      expect(sp.isSavepoint).toBe(true);
      await sp.run(() => Entry.create({ label: 'manual-discarded' }));
      await sp.rollback();
      await Entry.create({ label: 'manual-2' });
    });
    await tx.commit();
    expect(tx.state).toBe('committed');
    await expect(tx.commit()).rejects.toThrow(/already committed/);
    await expect(tx.run(() => 1)).rejects.toThrow(/already committed/);
    expect(await labels(Seen)).toEqual(['manual-1', 'manual-2']);

    const undone = await db.begin({ isolationLevel: 'repeatable read' });
    await undone.run(() => Entry.create({ label: 'manual-undone' }));
    await undone.rollback();
    expect(undone.state).toBe('rolled back');
    log.stop();
    expect(await labels(Seen)).toEqual(['manual-1', 'manual-2']);
    expect(log.sql.filter((s) => /^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT)/.test(s))).toEqual([
      'BEGIN',
      'SAVEPOINT pewit_sp_1',
      'ROLLBACK TO SAVEPOINT pewit_sp_1',
      'COMMIT',
      'BEGIN ISOLATION LEVEL REPEATABLE READ',
      'ROLLBACK',
    ]);
    // The connection went back: ordinary work still runs.
    expect(await Entry.select().count()).toBe(2);
  });

  it('refuses a blocking evaluation inside an async transaction', async () => {
    await expect(db.atomic(() => Entry.select().countSync())).rejects.toThrow(/inside db.atomic\(\)/);
  });
});
