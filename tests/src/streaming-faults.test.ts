// Proves docs/streaming.md: the cursor is closed and the connection given back when the loop body throws, and a
// connection killed mid-cursor fails the loop as OperationalError while the next query reconnects.
import { AutoField, IntegerField, model, OperationalError, sql } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { adminQuery, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();
let db: PostgresqlDatabase;

function defineItem(target: PostgresqlDatabase) {
  return class Item extends model('fault_items', { id: AutoField(), n: IntegerField() }, { database: target }) {};
}
let Item: ReturnType<typeof defineItem>;

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  Item = defineItem(db);
  await db.createTables([Item]);
  await db.execute(sql`INSERT INTO fault_items (n) SELECT g FROM generate_series(1, 2000) AS g`);
});
afterAll(() => db.close());

/** Open portals on the single connection's session (run on that connection, so it also proves it is free). */
async function openCursors(): Promise<number> {
  return (await db.execute(sql`SELECT count(*)::int AS n FROM pg_cursors`)).rows[0]?.n as number;
}

describe('streaming faults', () => {
  it('an exception thrown from the for await body propagates as is, closes the cursor and frees the connection', async () => {
    const thrown = new Error('the loop body gave up');
    let seen = 0;
    const error = await (async () => {
      for await (const item of Item.select().orderBy(Item.id).iterator({ batchSize: 100 })) {
        seen = item.n;
        if (item.n === 150) throw thrown;
      }
    })().catch((e: unknown) => e);
    expect(error).toBe(thrown);
    expect(seen).toBe(150);
    expect(await openCursors()).toBe(0);
    expect(await Item.select().count()).toBe(2000);
  });

  it('a connection killed mid-cursor fails the loop with OperationalError; the next query reconnects', async () => {
    const pid = (await db.execute(sql`SELECT pg_backend_pid() AS pid`)).rows[0]?.pid as number;
    let received = 0;
    const error = await (async () => {
      for await (const _ of Item.select().iterator({ batchSize: 100 })) {
        if (++received === 1) await adminQuery(database.url(), 'SELECT pg_terminate_backend($1)', [pid]);
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperationalError);
    // The first batch was already in memory; the kill stops the stream at the next fetch.
    expect(received).toBe(100);
    const after = (await db.execute(sql`SELECT pg_backend_pid() AS pid`)).rows[0]?.pid as number;
    expect(after).not.toBe(pid);
    expect(await Item.select().count()).toBe(2000);
  });
});
