import { AutoField, IntegerField, model, sql } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();

/** Fails the test instead of hanging it: a self-wait must answer at once, well within this. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`still waiting after ${ms} ms: a hang`)), ms))]);
}

const SELF_WAIT = /would wait forever.*\.all\(\)|would wait forever.*PooledPostgresqlDatabase/s;

describe.each([
  ['PostgresqlDatabase', (url: string) => new PostgresqlDatabase(url)],
  ['PooledPostgresqlDatabase max 1', (url: string) => new PooledPostgresqlDatabase(url, { max: 1 })],
] as const)('a query awaited inside iterator() on %s', (_name, make) => {
  let db: PostgresqlDatabase;
  let Item: ReturnType<typeof define>;
  function define(d: PostgresqlDatabase) {
    return class Item extends model(`self_wait_items_${_name.length}`, { id: AutoField(), n: IntegerField() }, { database: d }) {};
  }
  beforeAll(async () => {
    db = make(database.url());
    Item = define(db);
    await db.createTables([Item]);
    await Item.insertMany([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });
  afterAll(() => db.close());

  it('throws at once, saying why and what to use, and the database keeps working', async () => {
    const run = async () => {
      for await (const item of Item.select().orderBy(Item.id).iterator({ batchSize: 1 })) {
        await Item.getById(item.id);
      }
    };
    await expect(within(5_000, run())).rejects.toThrow(SELF_WAIT);
    expect(await within(5_000, Item.select().count())).toBe(3);
  });

  it('refuses a db.atomic() and a nested cursor inside the loop the same way', async () => {
    const atomic = async () => {
      for await (const _ of Item.select().iterator()) await db.atomic(() => Item.create({ n: 9 }));
    };
    await expect(within(5_000, atomic())).rejects.toThrow(SELF_WAIT);
    const nested = async () => {
      for await (const _ of Item.select().iterator()) for await (const __ of Item.select().iterator()) break;
    };
    await expect(within(5_000, nested())).rejects.toThrow(SELF_WAIT);
    expect(await within(5_000, Item.select().count())).toBe(3);
  });

  it('a query started beside the loop by the function that runs it (Promise.all) counts as inside it and is refused', async () => {
    let loop: Promise<void> = Promise.resolve();
    const run = async () => {
      loop = (async () => {
        for await (const _ of Item.select().orderBy(Item.id).iterator({ batchSize: 1 })) await new Promise((resolve) => setTimeout(resolve, 10));
      })();
      const later = async () => {
        await new Promise((resolve) => setTimeout(resolve, 5)); // the loop holds the cursor by now
        return Item.select().count();
      };
      await Promise.all([loop, later()]);
    };
    await expect(within(5_000, run())).rejects.toThrow(SELF_WAIT);
    await within(5_000, loop); // the loop itself runs to its end
    expect(await within(5_000, Item.select().count())).toBe(3);
  });

  it('a blocking call inside the loop works: it runs on the blocking connection', async () => {
    const seen: number[] = [];
    for await (const item of Item.select().orderBy(Item.id).iterator()) seen.push(Item.getByIdSync(item.id).n);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('after the loop, and for another caller meanwhile, queries wait their turn as before', async () => {
    const other: Promise<number>[] = [];
    const seen: number[] = [];
    const loop = (async () => {
      for await (const item of Item.select().orderBy(Item.id).iterator({ batchSize: 1 })) seen.push(item.n);
    })();
    // Started outside the loop's async context: it waits for the cursor, then runs.
    other.push(Item.select().count());
    await within(5_000, loop);
    expect(await within(5_000, Promise.all(other))).toEqual([3]);
    expect(seen).toEqual([1, 2, 3]);
    expect((await db.execute(sql`SELECT 1 AS one`)).rows).toEqual([{ one: 1 }]);
  });
});

describe('the pooled backend with room for a second connection', () => {
  let db: PooledPostgresqlDatabase;
  afterAll(() => db.close());
  it('runs the query inside the loop', async () => {
    db = new PooledPostgresqlDatabase(database.url(), { max: 2 });
    class Thing extends model('self_wait_things', { id: AutoField(), n: IntegerField() }, { database: db }) {}
    await db.createTables([Thing]);
    await Thing.insertMany([{ n: 1 }, { n: 2 }]);
    const seen: number[] = [];
    for await (const t of Thing.select().orderBy(Thing.id).iterator({ batchSize: 1 })) seen.push((await Thing.getById(t.id)).n);
    expect(seen).toEqual([1, 2]);
  });
});
