import { AutoField, IntegerField, model, sql } from '@pewit/core';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();
let db: PooledPostgresqlDatabase;

function defineRow(target: PooledPostgresqlDatabase) {
  return class Row extends model('stream_rows', { id: AutoField(), n: IntegerField() }, { database: target }) {};
}
let Row: ReturnType<typeof defineRow>;

beforeAll(async () => {
  db = new PooledPostgresqlDatabase(database.url(), { max: 2 });
  Row = defineRow(db);
  await db.createTables([Row]);
  await Row.insertMany(Array.from({ length: 300 }, (_, i) => ({ n: i })));
});
afterAll(() => db.close());

describe('iterator() on the pooled backend', () => {
  it('holds one pooled connection only while iterating and gives it back when the loop breaks', async () => {
    let seen = 0;
    for await (const row of Row.select().orderBy(Row.n.asc()).iterator({ batchSize: 50 })) {
      expect(row.n).toBe(seen);
      expect(db.totalCount - db.idleCount).toBe(1);
      // Other work meanwhile runs on the pool's other connection.
      if (seen === 10) expect((await db.execute(sql`SELECT 1 AS one`)).rows).toEqual([{ one: 1 }]);
      if (++seen === 60) break;
    }
    expect(seen).toBe(60);
    expect(db.idleCount).toBe(db.totalCount);
  });

  it('gives the connection back when the loop runs to the end', async () => {
    let seen = 0;
    for await (const _ of Row.select().iterator({ batchSize: 64 })) seen++;
    // Every row, however many other tests added (the 300 seeded, and one more if the atomic() test ran first).
    expect(seen).toBeGreaterThanOrEqual(300);
    expect(seen).toBe(await Row.select().count());
    expect(db.idleCount).toBe(db.totalCount);
  });

  it('streams on the transaction connection inside atomic()', async () => {
    const count = await db.atomic(async () => {
      await Row.create({ n: 1000 });
      let n = 0;
      for await (const _ of Row.select().where(Row.n.gte(250)).iterator({ batchSize: 10 })) n++;
      return n;
    });
    expect(count).toBe(51);
    expect(db.idleCount).toBe(db.totalCount);
  });
});
