import { AutoField, IntegerField, model } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Every other shape that could wait on itself: each one works, or throws at once saying what to use instead.

const database = useTestDatabase();

/** Fails the test instead of hanging it. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms: a hang`)), ms))]);
}

const IN_CURSOR =
  /reading a query\.iterator\(\) cursor: a statement sent inside the for await loop \(in a transaction\) would wait for the loop to end\. Collect what you need and run it after the loop/;
const BLOCKING_IN_ATOMIC = /inside db\.atomic\(\): a blocking evaluation runs on a separate connection.*Use the async form instead/s;

describe.each([
  ['PostgresqlDatabase', 'a', (url: string) => new PostgresqlDatabase(url)],
  ['PooledPostgresqlDatabase max 1', 'b', (url: string) => new PooledPostgresqlDatabase(url, { max: 1 })],
] as const)('%s', (_name, suffix, make) => {
  let db: PostgresqlDatabase;
  function define(d: PostgresqlDatabase) {
    return class Item extends model(`self_wait_shapes_${suffix}`, { id: AutoField(), n: IntegerField() }, { database: d }) {};
  }
  let Item: ReturnType<typeof define>;
  beforeAll(async () => {
    db = make(database.url());
    Item = define(db);
    await db.createTables([Item]);
    await Item.insertMany([{ n: 1 }, { n: 2 }]);
  });
  afterAll(() => db.close());

  it('a blocking call and a blocking transaction inside a cursor loop work (they use the blocking connection)', async () => {
    const seen: number[] = [];
    await within(
      10_000,
      (async () => {
        for await (const item of Item.select().orderBy(Item.id).iterator({ batchSize: 1 })) {
          seen.push(Item.getByIdSync(item.id).n);
          db.atomicSync(() =>
            Item.update({ n: Item.n.add(0) })
              .where(Item.id.eq(item.id))
              .executeSync(),
          );
        }
      })(),
    );
    expect(seen).toEqual([1, 2]);
  });

  it('inside db.atomic(): a query, a nested atomic() and a second cursor inside the loop throw at once', async () => {
    const query = () =>
      db.atomic(async () => {
        for await (const item of Item.select().iterator({ batchSize: 1 })) await Item.getById(item.id);
      });
    await expect(within(5_000, query())).rejects.toThrow(IN_CURSOR);
    const nested = () =>
      db.atomic(async () => {
        for await (const _ of Item.select().iterator({ batchSize: 1 })) await db.atomic(() => Item.create({ n: 9 }));
      });
    await expect(within(5_000, nested())).rejects.toThrow(IN_CURSOR);
    const cursor = () =>
      db.atomic(async () => {
        for await (const _ of Item.select().iterator({ batchSize: 1 })) for await (const __ of Item.select().iterator()) break;
      });
    await expect(within(5_000, cursor())).rejects.toThrow(IN_CURSOR);
    expect(await within(5_000, Item.select().count())).toBe(2);
  });

  it('inside db.atomic(): a blocking call (also in a cursor loop) is refused at once, naming the async form', async () => {
    const inLoop = () =>
      db.atomic(async () => {
        for await (const item of Item.select().iterator({ batchSize: 1 })) Item.getByIdSync(item.id);
      });
    await expect(within(5_000, inLoop())).rejects.toThrow(BLOCKING_IN_ATOMIC);
    const iterate = () =>
      db.atomic(async () => {
        for (const _ of Item.select()) break;
      });
    await expect(within(5_000, iterate())).rejects.toThrow(BLOCKING_IN_ATOMIC);
    expect(await within(5_000, Item.select().count())).toBe(2);
  });

  it('inside db.atomicSync(): a for…of loop with blocking calls in it works', () => {
    const seen = db.atomicSync(() => {
      const out: number[] = [];
      for (const item of Item.select().orderBy(Item.id)) out.push(Item.getByIdSync(item.id).n);
      return out;
    });
    expect(seen).toEqual([1, 2]);
  });
});
