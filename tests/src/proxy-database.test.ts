import { AutoField, DatabaseProxy, IntegerField, model, type QueryEvent, sql, TextField } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { useTestDatabase } from '@pewit/test-support';
import { afterAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();

const opened: { close(): Promise<void> }[] = [];
afterAll(async () => {
  for (const db of opened) await db.close();
});

/** A proxy of its own for each test, with its model defined before any database exists: the point of a proxy. */
function freshProxy() {
  const proxy = new DatabaseProxy();
  class Item extends model('proxy_items', { id: AutoField(), label: TextField(), qty: IntegerField({ default: 0 }) }, { database: proxy }) {}
  return { proxy, Item };
}

/** A single-connection database with an empty proxy_items table, forwarded to by the proxy. */
async function initialized(proxy: DatabaseProxy, Item: ReturnType<typeof freshProxy>['Item']) {
  const single = new PostgresqlDatabase(database.url());
  opened.push(single);
  proxy.initialize(single);
  await proxy.createTables([Item], { safe: true });
  await proxy.execute(sql`TRUNCATE proxy_items RESTART IDENTITY`);
  return single;
}

describe('DatabaseProxy', () => {
  it('rejects evaluation before initialize() with an error that says to initialize it', async () => {
    const { proxy, Item } = freshProxy();
    expect(proxy.isInitialized).toBe(false);
    expect(proxy.isClosed).toBe(false);
    expect(proxy.inTransaction).toBe(false);
    await expect(Item.select()).rejects.toThrow(/not initialized: call proxy\.initialize\(db\)/);
    await expect(Item.create({ label: 'x' })).rejects.toThrow(/not initialized/);
    await expect(proxy.execute(sql`SELECT 1`)).rejects.toThrow(/not initialized/);
    await expect(proxy.atomic(() => 1)).rejects.toThrow(/not initialized/);
    expect(() => Item.select().countSync()).toThrow(/not initialized/);
    expect(() => proxy.target).toThrow(/not initialized/);
    // docs/backends.md: before initialize(), allowBlocking(fn) runs fn and close() resolves.
    expect(proxy.allowBlocking(() => 5)).toBe(5);
    await expect(proxy.close()).resolves.toBeUndefined();
  });

  it('forwards every database method once initialized, models included', async () => {
    const { proxy, Item } = freshProxy();
    const events: QueryEvent[] = [];
    // Subscribed before initialization: attached when the proxy gets its database.
    const stop = proxy.on('query', (e) => events.push(e));
    const single = await initialized(proxy, Item);
    expect(proxy.target).toBe(single);
    expect(events.some((e) => e.sql.startsWith('TRUNCATE'))).toBe(true);

    await Item.create({ label: 'a', qty: 1 });
    await expect(
      proxy.atomic(async () => {
        expect(proxy.inTransaction).toBe(true);
        expect(single.inTransaction).toBe(true);
        await Item.create({ label: 'rolled back' });
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    const tx = await proxy.begin();
    await tx.run(() => Item.create({ label: 'b', qty: 2 }));
    await tx.commit();
    expect((await Item.select().orderBy(Item.id.asc())).map((i) => i.label)).toEqual(['a', 'b']);
    expect(proxy.allowBlocking(() => Item.select().countSync())).toBe(2);
    expect((await proxy.execute(sql`SELECT 1 AS one`)).rows).toEqual([{ one: 1 }]);
    expect(events.map((e) => e.sql.split(' ')[0])).toContain('ROLLBACK');
    expect(events.some((e) => e.path === 'blocking')).toBe(true);
    stop();
    const seen = events.length;
    await Item.select();
    expect(events.length).toBe(seen);
  });

  it('can be pointed at another backend; models and listeners follow', async () => {
    const { proxy, Item } = freshProxy();
    const first = await initialized(proxy, Item);
    await Item.insertMany([{ label: 'a' }, { label: 'b' }]);
    const events: string[] = [];
    proxy.on('query', (e) => events.push(e.sql));
    const pooled = new PooledPostgresqlDatabase(database.url(), { max: 2 });
    opened.push(pooled);
    proxy.initialize(pooled);
    expect(await Item.select().count()).toBe(2);
    expect(events).toHaveLength(1);
    // The old database no longer reports to the proxy's listeners.
    await first.execute(sql`SELECT 1`);
    expect(events).toHaveLength(1);
    const pids = await Promise.all([
      proxy.atomic(async () => (await proxy.execute(sql`SELECT pg_backend_pid() AS pid, pg_sleep(0.02)`)).rows[0]?.pid),
      proxy.atomic(async () => (await proxy.execute(sql`SELECT pg_backend_pid() AS pid, pg_sleep(0.02)`)).rows[0]?.pid),
    ]);
    expect(new Set(pids).size).toBe(2);
  });

  it('binds models to the proxy itself and closes the database it forwards to', async () => {
    const { proxy, Item } = freshProxy();
    await initialized(proxy, Item);
    class Other extends model('proxy_others', { id: AutoField() }) {}
    proxy.bind([Other]);
    await Other.createTable();
    expect(await Other.select().count()).toBe(0);
    const target = proxy.target;
    await proxy.close();
    expect(target.isClosed).toBe(true);
    expect(proxy.isClosed).toBe(true);
    await expect(Item.select()).rejects.toThrow(/the database is closed/);
  });
});
