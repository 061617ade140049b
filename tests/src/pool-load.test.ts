import { AutoField, IntegerField, model, OperationalError, SerializationError, sql, TextField } from '@pewit/core';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();

/** The pool's connections are told apart from everything else on the server by application_name. */
function poolUrl(name: string): string {
  const url = new URL(database.url());
  url.searchParams.set('application_name', name);
  return url.toString();
}

function defineModels(db: PooledPostgresqlDatabase) {
  class Counter extends model('counters', { id: AutoField(), label: TextField({ unique: true }), value: IntegerField({ default: 0 }) }, { database: db }) {}
  class Tag extends model('tags', { id: AutoField(), label: TextField({ unique: true }), uses: IntegerField({ default: 0 }) }, { database: db }) {}
  return { Counter, Tag };
}

describe('the pooled backend under load, on a real server', () => {
  let db: PooledPostgresqlDatabase;
  let models: ReturnType<typeof defineModels>;

  beforeAll(async () => {
    db = new PooledPostgresqlDatabase(poolUrl('pewit-load'), { max: 5, idleTimeoutMillis: 0 });
    models = defineModels(db);
    await db.createTables([models.Counter, models.Tag]);
  });
  afterAll(() => db.close());

  it('runs 500 concurrent statements on max: 5, never holding more than 5 server connections', { timeout: 60_000 }, async () => {
    // Each statement reports how many of the pool's sessions exist at that moment, as pg_stat_activity sees them.
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        db.execute(sql`
          SELECT ${i}::int AS i, pg_backend_pid() AS pid,
                 (SELECT count(*)::int FROM pg_stat_activity WHERE application_name = 'pewit-load' AND backend_type = 'client backend') AS sessions,
                 pg_sleep(0.001)`),
      ),
    );
    expect(results.map((r) => r.rows[0]?.i)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    const sessions = results.map((r) => r.rows[0]?.sessions as number);
    expect(Math.max(...sessions)).toBeLessThanOrEqual(5);
    // The load really was spread over the pool.
    expect(new Set(results.map((r) => r.rows[0]?.pid)).size).toBe(5);
    expect(Math.max(...sessions)).toBe(5);
    expect(db.totalCount).toBe(5);
    expect(db.idleCount).toBe(5);
  });

  it('loses no increment in 100 concurrent read-modify-write transactions with forUpdate()', { timeout: 60_000 }, async () => {
    const { Counter } = models;
    const counter = await Counter.create({ label: 'hits' });
    await Promise.all(
      Array.from({ length: 100 }, () =>
        db.atomic(async () => {
          const [row] = await Counter.select().where(Counter.id.eq(counter.id)).forUpdate();
          if (!row) throw new Error('the counter row is missing');
          row.value += 1;
          await row.save();
        }),
      ),
    );
    await counter.refresh();
    expect(counter.value).toBe(100);
  });

  it('creates exactly one row from 12 concurrent getOrCreate calls', async () => {
    const { Tag } = models;
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => Tag.getOrCreate({ label: 'typescript' }, { uses: 1 })));
    expect(outcomes.filter(([, created]) => created)).toHaveLength(1);
    expect(new Set(outcomes.map(([tag]) => tag.id)).size).toBe(1);
    expect(await Tag.select().where(Tag.label.eq('typescript')).count()).toBe(1);
  });

  it('getOrCreate racing under REPEATABLE READ: the loser gets SerializationError (its snapshot cannot see the winner), and a retry finds the row', async () => {
    const { Tag } = models;
    // Both transactions take their snapshot first, then both look the tag up and miss it; only then does one insert.
    let release!: () => void;
    const bothHaveSnapshots = new Promise<void>((resolve) => {
      release = resolve;
    });
    let waiting = 2;
    const snapshotThenGetOrCreate = async () => {
      await db.execute(sql`SELECT 1`);
      if (--waiting === 0) release();
      await bothHaveSnapshots;
      return Tag.getOrCreate({ label: 'repeatable' }, { uses: 1 });
    };
    const outcomes = await Promise.allSettled([
      db.atomic(snapshotThenGetOrCreate, { isolationLevel: 'repeatable read' }),
      db.atomic(snapshotThenGetOrCreate, { isolationLevel: 'repeatable read' }),
    ]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(won[0]?.status === 'fulfilled' && won[0].value[1]).toBe(true);
    expect(lost).toHaveLength(1);
    // Never the misleading "no row matches the lookup": PostgreSQL refuses the conflict it cannot show this snapshot.
    expect(lost[0]?.status === 'rejected' && lost[0].reason).toBeInstanceOf(SerializationError);
  });

  it('the same race with retries: 2 ends with both callers holding the one row, created once', async () => {
    const { Tag } = models;
    let attempts = 0;
    let release!: () => void;
    let bothHaveSnapshots = new Promise<void>((resolve) => {
      release = resolve;
    });
    const snapshotThenGetOrCreate = async () => {
      // Only the first round of attempts meets at the barrier; a retry runs straight through.
      if (++attempts <= 2) {
        await db.execute(sql`SELECT 1`);
        if (attempts === 2) release();
        await bothHaveSnapshots;
      } else bothHaveSnapshots = Promise.resolve();
      return Tag.getOrCreate({ label: 'retried' }, { uses: 1 });
    };
    const outcomes = await Promise.all([
      db.atomic(snapshotThenGetOrCreate, { isolationLevel: 'repeatable read', retries: 2 }),
      db.atomic(snapshotThenGetOrCreate, { isolationLevel: 'repeatable read', retries: 2 }),
    ]);
    expect(attempts).toBe(3);
    expect(outcomes.map(([, created]) => created).sort()).toEqual([false, true]);
    expect(new Set(outcomes.map(([tag]) => tag.id)).size).toBe(1);
    expect(await Tag.select().where(Tag.label.eq('retried')).count()).toBe(1);
  });

  it('leaks no connection after 1,000 transactions with random failures', { timeout: 60_000 }, async () => {
    const { Counter } = models;
    // A fixed seed: the same mix of outcomes on every run.
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const plans = Array.from({ length: 1000 }, (_, i) => ({ i, fate: random() }));
    const results = await Promise.allSettled(
      plans.map(({ i, fate }) =>
        db.atomic(async () => {
          await Counter.create({ label: `tx-${i}` });
          if (fate < 0.2) throw new Error('application error');
          if (fate < 0.3) await Counter.create({ label: `tx-${i}` }); // unique violation from the server
          if (fate < 0.4) await db.execute(sql`SELECT no_such_column FROM counters`);
          if (fate < 0.5) {
            await db
              .atomic(async () => {
                await Counter.create({ label: `tx-${i}-inner` });
                throw new Error('inner failure');
              })
              .catch(() => undefined);
          }
          return i;
        }),
      ),
    );
    const committed = results.flatMap((r) => (r.status === 'fulfilled' ? [`tx-${r.value}`] : []));
    expect(committed.length).toBe(plans.filter((p) => p.fate >= 0.4).length);
    const stored = (await Counter.select(Counter.label).where(Counter.label.startsWith('tx-')).tuples()).map((r) => r[0]);
    expect(stored.sort()).toEqual(committed.sort());
    expect(db.waitingCount).toBe(0);
    expect(db.idleCount).toBe(db.totalCount);
    expect(db.totalCount).toBeGreaterThan(0);
    expect(db.totalCount).toBeLessThanOrEqual(5);
  });

  it('destroys a connection given back while a transaction is still open on it', async () => {
    // A raw BEGIN outside db.atomic() leaves the session inside a transaction when the statement returns.
    const pool = new PooledPostgresqlDatabase(poolUrl('pewit-dirty'), { max: 1 });
    const { Counter } = defineModels(pool);
    try {
      const before = (await pool.execute(sql`SELECT pg_backend_pid() AS pid`)).rows[0]?.pid;
      await pool.execute(sql`BEGIN`);
      const after = (await pool.execute(sql`SELECT pg_backend_pid() AS pid`)).rows[0];
      expect(after?.pid).not.toBe(before);
      await Counter.create({ label: 'autocommitted' });
      // Visible to the other pool: the INSERT did not run inside the abandoned transaction.
      expect(await models.Counter.select().where(models.Counter.label.eq('autocommitted')).count()).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('times out an exhausted pool with an OperationalError naming the pool size, promptly', async () => {
    const pool = new PooledPostgresqlDatabase(poolUrl('pewit-exhausted'), { max: 2, connectionTimeoutMillis: 300 });
    try {
      const held = [await pool.begin(), await pool.begin()];
      const started = performance.now();
      const error = await pool.execute(sql`SELECT 1`).catch((e: unknown) => e);
      const waited = performance.now() - started;
      expect(error).toBeInstanceOf(OperationalError);
      // docs/errors.md: no SQLSTATE and no Node.js code for a pool timeout.
      expect((error as OperationalError).code).toBeUndefined();
      expect(String((error as Error).message)).toMatch(/all 2 connections of the pool \(max: 2\).*300 ms|300 ms.*all 2 connections of the pool \(max: 2\)/);
      expect(String((error as Error).message)).toMatch(/Raise max/);
      // Not hanging until some other limit: the configured timeout decides (loose bound, not a benchmark).
      expect(waited).toBeLessThan(5_000);
      await Promise.all(held.map((tx) => tx.rollback()));
      expect((await pool.execute(sql`SELECT 1 AS one`)).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.close();
    }
  });

  it('close() lets checked-out work finish, then rejects new calls saying the database is closed', async () => {
    const pool = new PooledPostgresqlDatabase(poolUrl('pewit-closing'), { max: 2 });
    const { Counter } = defineModels(pool);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const inFlight = pool.atomic(async () => {
      await Counter.create({ label: 'before-close-1' });
      await gate;
      // close() has been called by now: statements of the running transaction still go through.
      await Counter.create({ label: 'before-close-2' });
      return 'finished';
    });
    const statement = pool.execute(sql`SELECT pg_sleep(0.05), 1 AS one`);
    await new Promise((resolve) => setImmediate(resolve));
    const closing = pool.close();
    expect(pool.isClosed).toBe(true);
    await expect(pool.execute(sql`SELECT 1`)).rejects.toThrow(/the database is closed/);
    release();
    expect(await inFlight).toBe('finished');
    expect((await statement).rows[0]?.one).toBe(1);
    await closing;
    expect(pool.totalCount).toBe(0);
    await expect(Counter.select()).rejects.toThrow(/the database is closed/);
    await expect(pool.atomic(() => 1)).rejects.toThrow(/the database is closed/);
    expect(await models.Counter.select().where(models.Counter.label.startsWith('before-close')).count()).toBe(2);
  });
});
