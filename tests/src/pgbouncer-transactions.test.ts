import { AutoField, IntegerField, model, sql, TextField } from '@pewit/core';
import type { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { useTestDatabase } from '@pewit/test-support';
import { usePgBouncer } from '@pewit/test-support/pgbouncer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bouncedDatabase, bouncerConnections, CLIENTS, SERVER_CONNECTIONS, serverSessions } from './pgbouncer-helpers.js';

// docs/scaling.md → PgBouncer: the pooled backend behind a real PgBouncer in transaction mode, 64 clients on 5
// server connections.
const database = useTestDatabase();
const bouncer = usePgBouncer({ poolMode: 'transaction', poolSize: SERVER_CONNECTIONS });

function defineModels(db: PooledPostgresqlDatabase) {
  class Counter extends model('counters', { id: AutoField(), label: TextField({ unique: true }), value: IntegerField({ default: 0 }) }, { database: db }) {}
  class Tag extends model('tags', { id: AutoField(), label: TextField({ unique: true }), uses: IntegerField({ default: 0 }) }, { database: db }) {}
  return { Counter, Tag };
}

describe.skipIf(bouncer.skipped)('the pooled backend behind PgBouncer in transaction mode', () => {
  let db: PooledPostgresqlDatabase;
  let models: ReturnType<typeof defineModels>;

  beforeAll(async () => {
    db = bouncedDatabase(bouncer, database.name());
    models = defineModels(db);
    await db.createTables([models.Counter, models.Tag]);
  });
  afterAll(() => db.close());

  it('commits, rolls back, and rolls back only the failed savepoint', async () => {
    const { Tag } = models;
    await db.atomic(() => Tag.create({ label: 'kept' }));
    await expect(
      db.atomic(async () => {
        await Tag.create({ label: 'rolled back' });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    await db.atomic(async () => {
      await Tag.create({ label: 'outer' });
      await expect(
        db.atomic(async () => {
          await Tag.create({ label: 'inner' });
          throw new Error('inner abort');
        }),
      ).rejects.toThrow('inner abort');
      await db.atomic(() => Tag.create({ label: 'second inner' }));
    });
    const mine = ['kept', 'rolled back', 'outer', 'inner', 'second inner'];
    const labels = (await Tag.select().where(Tag.label.in(mine)).orderBy(Tag.label)).map((tag) => tag.label);
    expect(labels).toEqual(['kept', 'outer', 'second inner']);
  });

  it('keeps a transaction on one server connection through every await, while 63 others wait for the remaining ones', async () => {
    const pids = await Promise.all(
      Array.from({ length: CLIENTS }, () =>
        db.atomic(async () => {
          const seen: unknown[] = [];
          for (let i = 0; i < 3; i++) {
            seen.push((await db.execute(sql`SELECT pg_backend_pid() AS pid, pg_sleep(0.002)`)).rows[0]?.pid);
            await new Promise((resolve) => setImmediate(resolve));
          }
          return seen;
        }),
      ),
    );
    for (const seen of pids) expect(new Set(seen).size).toBe(1);
  });

  it(`runs ${CLIENTS} clients' transactions at once on ${SERVER_CONNECTIONS} server connections, losing no increment`, { timeout: 60_000 }, async () => {
    const { Counter } = models;
    const counter = await Counter.create({ label: 'hits' });
    const rounds = 3;
    const samples = await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        const seen: { pid: number; sessions: number }[] = [];
        for (let round = 0; round < rounds; round++) {
          await db.atomic(async () => {
            const [row] = await Counter.select().where(Counter.id.eq(counter.id)).forUpdate();
            if (!row) throw new Error('the counter row is missing');
            row.value += 1;
            await row.save();
            // The server's own count of sessions on this database, from inside a transaction holding one of them.
            const { rows } = await db.execute(sql`
              SELECT pg_backend_pid() AS pid,
                     (SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend') AS sessions`);
            seen.push({ pid: rows[0]?.pid as number, sessions: rows[0]?.sessions as number });
          });
        }
        return seen;
      }),
    );
    const all = samples.flat();
    expect(all).toHaveLength(CLIENTS * rounds);
    expect((await Counter.getById(counter.id)).value).toBe(CLIENTS * rounds);
    // 64 client connections were open to PgBouncer…
    expect(db.totalCount).toBe(CLIENTS);
    const { clients, servers } = await bouncerConnections(bouncer, database.name());
    expect(clients).toBe(CLIENTS);
    // …and never more than 5 server sessions behind them, all of which did work.
    expect(Math.max(...all.map((s) => s.sessions))).toBeLessThanOrEqual(SERVER_CONNECTIONS);
    expect(new Set(all.map((s) => s.pid)).size).toBe(SERVER_CONNECTIONS);
    expect(servers).toBe(SERVER_CONNECTIONS);
    expect(await serverSessions(database.name())).toBe(SERVER_CONNECTIONS);
  });

  it(`creates exactly one row from ${CLIENTS} concurrent getOrCreate calls`, async () => {
    const { Tag } = models;
    const outcomes = await Promise.all(Array.from({ length: CLIENTS }, () => Tag.getOrCreate({ label: 'typescript' }, { uses: 1 })));
    expect(outcomes.filter(([, created]) => created)).toHaveLength(1);
    expect(new Set(outcomes.map(([tag]) => tag.id)).size).toBe(1);
    expect(await Tag.select().where(Tag.label.eq('typescript')).count()).toBe(1);
  });

  it('getOrCreate inside concurrent transactions: one creates, the others find its row', async () => {
    const { Tag } = models;
    const outcomes = await Promise.all(Array.from({ length: CLIENTS }, () => db.atomic(() => Tag.getOrCreate({ label: 'in-transaction' }, { uses: 1 }))));
    expect(outcomes.filter(([, created]) => created)).toHaveLength(1);
    expect(new Set(outcomes.map(([tag]) => tag.id)).size).toBe(1);
  });
});
