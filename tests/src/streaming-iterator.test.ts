import { AutoField, DatabaseError, type EvaluationEvent, fn, IntegerField, model, sql } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { adminQuery, recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();
let db: PostgresqlDatabase;

function defineItem(target: PostgresqlDatabase) {
  return class Item extends model('stream_items', { id: AutoField(), n: IntegerField() }, { database: target }) {};
}
let Item: ReturnType<typeof defineItem>;
const ROWS = 10_000;
// Any SQL function is fn.name(…); named here so the types say they exist.
const { nextval, pg_backend_pid } = fn as unknown as { nextval(sequence: string): ReturnType<typeof fn.count>; pg_backend_pid(): ReturnType<typeof fn.count> };

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  Item = defineItem(db);
  await db.createTables([Item]);
  await db.execute(sql`INSERT INTO stream_items (n) SELECT g FROM generate_series(1, ${ROWS}::int) AS g`);
  await db.execute(sql`CREATE SEQUENCE stream_ticks`);
});
afterAll(() => db.close());

/** Open portals on the async connection's session (run on that same connection, so it also proves the connection is free). */
async function openCursors(): Promise<number> {
  return (await db.execute(sql`SELECT count(*)::int AS n FROM pg_cursors`)).rows[0]?.n as number;
}

describe('iterator({ batchSize }): a server-side cursor', () => {
  it('hydrates every row as an instance, batch by batch', async () => {
    let count = 0;
    let sum = 0;
    for await (const item of Item.select().iterator({ batchSize: 500 })) {
      expect(item).toBeInstanceOf(Item);
      count++;
      sum += item.n;
    }
    expect(count).toBe(ROWS);
    expect(sum).toBe((ROWS * (ROWS + 1)) / 2);
    expect(await openCursors()).toBe(0);
  });

  it('fetches only one batch per round trip: the server has produced 500 rows when the first arrives', async () => {
    // nextval() runs once per row the server produces, and sequences are visible to other sessions at once.
    const q = Item.select(Item.id, nextval('stream_ticks').as('tick')).dicts();
    const produced = async () => Number((await adminQuery(database.url(), 'SELECT last_value FROM stream_ticks')).rows[0]?.last_value);
    const evaluations: EvaluationEvent[] = [];
    const stopEvaluations = db.on('evaluation', (e) => evaluations.push(e));
    const log = recordQueries(db);
    const seen: Record<number, number> = {};
    let i = 0;
    for await (const row of q.iterator({ batchSize: 500 })) {
      if (i === 0 || i === 499 || i === 500 || i === 5_250 || i === ROWS - 1) seen[i] = await produced();
      expect(row.tick).toBe(i + 1);
      i++;
    }
    log.stop();
    stopEvaluations();
    expect(i).toBe(ROWS);
    expect(seen).toEqual({ 0: 500, 499: 500, 500: 1_000, 5250: 5_500, [ROWS - 1]: ROWS });
    // One query event for the statement (not one per batch), on the async path; one evaluation announced.
    expect(log.events.map((e) => [e.path, e.sql, e.params])).toEqual([['async', q.sql().text, q.sql().values]]);
    expect(evaluations.map((e) => [e.path, e.what.trigger, e.what.target])).toEqual([['async', 'for await…of', 'SelectQuery<Item>.iterator()']]);
  });

  it('without batchSize reads 1,000 rows per round trip', async () => {
    await db.execute(sql`CREATE SEQUENCE IF NOT EXISTS default_ticks`);
    await db.execute(sql`SELECT setval('default_ticks', 1, false)`);
    const q = Item.select(Item.id, nextval('default_ticks').as('tick')).dicts();
    const produced = async () => Number((await adminQuery(database.url(), 'SELECT last_value FROM default_ticks')).rows[0]?.last_value);
    const seen: number[] = [];
    let i = 0;
    for await (const _row of q.iterator()) {
      if (i === 0 || i === 1_000) seen.push(await produced());
      i++;
    }
    expect(seen).toEqual([1_000, 2_000]);
  });

  it('break closes the cursor and frees the connection for the next query', async () => {
    let taken = 0;
    for await (const item of Item.select().iterator({ batchSize: 500 })) {
      expect(item.id).toBeTypeOf('number');
      if (++taken === 10) break;
    }
    expect(taken).toBe(10);
    expect(await Item.select().count()).toBe(ROWS);
    expect(await openCursors()).toBe(0);
    // And a second stream after the first was abandoned reads from the start.
    const again = Item.select(Item.n).tuples().iterator({ batchSize: 3 });
    expect((await again.next()).value).toEqual([1]);
    await again.return();
    expect(await openCursors()).toBe(0);
  });

  it('an error in a later batch is thrown as pewit error after the earlier rows, and the connection stays usable', async () => {
    const failing = Item.select(Item.id, Item.n.div(Item.n.sub(700)).as('x')).dicts(); // n / (n - 700): fails on row 700, in the second batch
    let received = 0;
    const error = await (async () => {
      try {
        for await (const _ of failing.iterator({ batchSize: 500 })) received++;
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).code).toBe('22012');
    expect(received).toBe(500);
    expect(await Item.select().count()).toBe(ROWS);
    expect(await openCursors()).toBe(0);
  });

  it('inside a transaction it reads on the transaction connection, and a statement inside the loop fails fast', async () => {
    const rollback = new Error('roll back the test row');
    await expect(
      db.atomic(async () => {
        await Item.create({ n: -1 }); // uncommitted: only the transaction's session sees it
        const pid = (await db.execute(sql`SELECT pg_backend_pid() AS pid`)).rows[0]?.pid;
        const rows = [];
        for await (const row of Item.select(Item.n, pg_backend_pid().as('pid')).where(Item.n.lte(0)).dicts().iterator({ batchSize: 2 })) rows.push(row);
        expect(rows).toEqual([{ n: -1, pid }]);

        for await (const _ of Item.select().iterator({ batchSize: 100 })) {
          await expect(Item.select().count()).rejects.toThrow(/reading a query\.iterator\(\) cursor.*run it after the loop/);
          break;
        }
        expect(await Item.select().where(Item.n.eq(-1)).count()).toBe(1);
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(await Item.select().where(Item.n.eq(-1)).count()).toBe(0);
    expect(await openCursors()).toBe(0);
  });

  it('rejects a bad batchSize before sending anything', () => {
    const log = recordQueries(db);
    expect(() => Item.select().iterator({ batchSize: 0 })).toThrow(/batchSize must be a positive integer, received 0/);
    expect(() => Item.select().iterator({ batchSize: 1.5 })).toThrow(TypeError);
    expect(log.count).toBe(0);
    log.stop();
  });
});
