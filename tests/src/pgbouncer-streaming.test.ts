import { AutoField, IntegerField, model, sql } from '@pewit/core';
import type { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { useTestDatabase } from '@pewit/test-support';
import { usePgBouncer } from '@pewit/test-support/pgbouncer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bouncedDatabase, CLIENTS, SERVER_CONNECTIONS } from './pgbouncer-helpers.js';

// docs/scaling.md → PgBouncer: iterator() works in transaction mode, because the cursor's portal lives in the
// protocol's implicit transaction, which keeps its server connection until the cursor closes.
const database = useTestDatabase();
const bouncer = usePgBouncer({ poolMode: 'transaction', poolSize: SERVER_CONNECTIONS });
const ROWS = 300;

function defineRow(target: PooledPostgresqlDatabase) {
  return class Row extends model('stream_rows', { id: AutoField(), n: IntegerField() }, { database: target }) {};
}

/** PgBouncer's server connections of the test database that are in use by a client right now. */
async function activeServers(): Promise<number> {
  const servers = await bouncer.admin('SHOW SERVERS');
  return servers.filter((row) => row.database === database.name() && row.state === 'active').length;
}

describe.skipIf(bouncer.skipped)('iterator() behind PgBouncer in transaction mode', () => {
  let db: PooledPostgresqlDatabase;
  let Row: ReturnType<typeof defineRow>;

  beforeAll(async () => {
    db = bouncedDatabase(bouncer, database.name());
    Row = defineRow(db);
    await db.createTables([Row]);
    await Row.insertMany(Array.from({ length: ROWS }, (_, i) => ({ n: i })));
  });
  afterAll(() => db.close());

  it('reads every batch from one server connection, held for the loop and given back when it breaks', async () => {
    const pids = new Set<unknown>();
    let seen = 0;
    const query = Row.select(Row.n, sql`pg_backend_pid()`.as('pid')).orderBy(Row.n.asc()).dicts();
    for await (const row of query.iterator({ batchSize: 20 })) {
      expect(row.n).toBe(seen);
      pids.add(row.pid);
      if (seen === 50) {
        expect(await activeServers()).toBe(1);
        // Other clients' statements meanwhile run on the other server connections.
        const others = await Promise.all(Array.from({ length: 10 }, () => db.execute(sql`SELECT pg_backend_pid() AS pid`)));
        expect(others.map((r) => r.rows[0]?.pid)).not.toContain([...pids][0]);
      }
      if (++seen === 120) break;
    }
    expect(pids.size).toBe(1);
    expect(await activeServers()).toBe(0);
  });

  it(`runs ${CLIENTS} loops at once on ${SERVER_CONNECTIONS} server connections, each seeing every row`, { timeout: 60_000 }, async () => {
    const counts = await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        let n = 0;
        for await (const _ of Row.select().where(Row.n.lt(ROWS)).iterator({ batchSize: 64 })) n++;
        return n;
      }),
    );
    expect(counts).toEqual(Array.from({ length: CLIENTS }, () => ROWS));
    expect(await activeServers()).toBe(0);
  });

  it('streams on the transaction connection inside atomic()', async () => {
    const count = await db.atomic(async () => {
      await Row.create({ n: ROWS + 1000 });
      let n = 0;
      for await (const _ of Row.select()
        .where(Row.n.gte(ROWS - 50))
        .iterator({ batchSize: 10 }))
        n++;
      return n;
    });
    expect(count).toBe(51);
    await Row.delete().where(Row.n.eq(ROWS + 1000));
  });
});
