import { AutoField, type Database, DatabaseError, IntegerField, model, sql, TextField } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { countRoundTrips, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();
const opened: Database[] = [];

/** A single-connection database, so pg_prepared_statements shows the session pewit's queries run on. */
function open(statementCacheSize?: number): PostgresqlDatabase {
  const db = new PostgresqlDatabase(database.url(), statementCacheSize === undefined ? {} : { statementCacheSize });
  opened.push(db);
  return db;
}

function itemsOn(db: Database) {
  return class Item extends model('items', { id: AutoField(), label: TextField(), size: IntegerField() }, { database: db }) {};
}

/** Statements pewit prepared on the session `db` runs on (the catalog query itself has no parameters, so it is never prepared). */
async function prepared(db: Database): Promise<string[]> {
  const { rows } = await db.execute(sql`SELECT statement FROM pg_prepared_statements WHERE name LIKE 'pewit%' ORDER BY prepare_time`);
  return rows.map((r) => String(r.statement));
}

beforeAll(async () => {
  const db = open();
  const Item = itemsOn(db);
  await db.createTables([Item]);
  await Item.insertMany([
    { label: 'a', size: 1 },
    { label: 'b', size: 2 },
    { label: 'c', size: 3 },
  ]);
});
afterAll(async () => {
  for (const db of opened) await db.close();
});

describe('named prepared statements', () => {
  it('prepare a parameterized statement the second time it runs on a connection, then reuse it', async () => {
    const db = open();
    const Item = itemsOn(db);
    const lookup = Item.select().where(Item.id.eq(1)).limit(1).sql().text;
    await Item.getById(1);
    expect(await prepared(db)).toEqual([]);
    await Item.getById(2);
    expect(await prepared(db)).toEqual([lookup]);
    const third = await Item.getById(3);
    expect(third.label).toBe('c');
    expect(await prepared(db)).toEqual([lookup]);
    // docs/backends.md: named pewit_<random part of the connection>_<counter>.
    const { rows } = await db.execute(sql`SELECT name FROM pg_prepared_statements WHERE name LIKE 'pewit%'`);
    expect(rows.map((r) => r.name)).toEqual([expect.stringMatching(/^pewit_[0-9a-f]{8}_1$/)]);
  });

  it('keep at most statementCacheSize per connection, deallocating the least recently used', async () => {
    const db = open(2);
    const Item = itemsOn(db);
    const shapes = [() => Item.getById(1), () => Item.get(Item.label.eq('a')), () => Item.get(Item.size.eq(1))];
    for (const run of shapes) {
      await run();
      await run();
    }
    const names = await prepared(db);
    expect(names).toHaveLength(2);
    expect(names.some((text) => text.includes('"items"."id" = $1'))).toBe(false);
  });

  it('deallocate an evicted statement only once the connection is idle, never inside a transaction', async () => {
    const db = open(2);
    const Item = itemsOn(db);
    const shapes = [() => Item.getById(1), () => Item.get(Item.label.eq('a')), () => Item.get(Item.size.eq(1))];
    const sent: string[] = [];
    db.on('query', (e) => sent.push(e.sql));
    const inside = await db.atomic(async () => {
      for (const run of shapes) {
        await run();
        await run();
      }
      // The cache holds 2, but the third shape's statement was prepared inside this transaction: nothing is dropped yet.
      return prepared(db);
    });
    expect(inside).toHaveLength(3);
    expect(sent.some((text) => /^DEALLOCATE/i.test(text))).toBe(false);
    const after = await prepared(db);
    expect(after).toHaveLength(2);
    expect(after.some((text) => text.includes('"items"."id" = $1'))).toBe(false);
  });

  it('are off with statementCacheSize 0 (PgBouncer in transaction mode)', async () => {
    const db = open(0);
    const Item = itemsOn(db);
    for (let i = 0; i < 3; i++) await Item.getById(1);
    expect(await prepared(db)).toEqual([]);
  });

  it('refuse a negative or fractional statementCacheSize', () => {
    expect(() => new PostgresqlDatabase(database.url(), { statementCacheSize: -1 })).toThrow(/statementCacheSize must be a non-negative integer/);
    expect(() => new PostgresqlDatabase(database.url(), { statementCacheSize: 1.5 })).toThrow(/statementCacheSize/);
  });

  it('are prepared again, transparently, after the session lost them (DEALLOCATE ALL → 26000)', async () => {
    const db = open();
    const Item = itemsOn(db);
    await Item.getById(1);
    await Item.getById(1);
    expect(await prepared(db)).toHaveLength(1);
    await db.execute(sql`DEALLOCATE ALL`);
    expect((await Item.getById(2)).label).toBe('b');
    await Item.getById(2);
    expect(await prepared(db)).toHaveLength(1);
  });

  /** A table whose `getById` is prepared on `db`, then altered so the prepared plan's result type no longer fits. */
  async function preparedThenAltered(table: string, weight: number, newType: 'text' | 'bigint') {
    const db = open();
    await db.execute(sql`CREATE TABLE ${sql.identifier(table)} (id serial PRIMARY KEY, weight integer NOT NULL)`);
    await db.execute(sql`INSERT INTO ${sql.identifier(table)} (weight) VALUES (${weight})`);
    const Thing = class Thing extends model(table, { id: AutoField(), weight: IntegerField() }, { database: db }) {};
    await Thing.getById(1);
    await Thing.getById(1);
    await db.execute(sql`ALTER TABLE ${sql.identifier(table)} ALTER COLUMN weight TYPE ${sql.unsafe(newType)}`);
    return { db, Thing };
  }

  it('are prepared again, transparently, after a schema change altered their result type (0A000)', async () => {
    const { Thing } = await preparedThenAltered('widgets', 7, 'text');
    expect((await Thing.getById(1)).weight).toBe(7);
    expect((await Thing.getById(1)).weight).toBe(7);
  });

  it('read a column renamed under a prepared SELECT * by its new name (no row description is cached past a schema change)', async () => {
    const db = open();
    await db.execute(sql`CREATE TABLE renamed_under (id serial PRIMARY KEY, before_name integer NOT NULL)`);
    await db.execute(sql`INSERT INTO renamed_under (before_name) VALUES (3)`);
    const read = async () => (await db.execute(sql`SELECT * FROM renamed_under WHERE id = ${1}`)).rows;
    expect(await read()).toEqual([{ id: 1, before_name: 3 }]);
    expect(await read()).toEqual([{ id: 1, before_name: 3 }]);
    expect(await prepared(db)).toHaveLength(1);
    await db.execute(sql`ALTER TABLE renamed_under RENAME COLUMN before_name TO after_name`);
    expect(await read()).toEqual([{ id: 1, after_name: 3 }]);
    expect(await read()).toEqual([{ id: 1, after_name: 3 }]);
  });

  it('run a prepared statement without a Describe once it was described: the server sends no row description', async () => {
    const relay = await countRoundTrips(database.url());
    const db = new PostgresqlDatabase(relay.url);
    opened.push(db);
    try {
      const Item = itemsOn(db);
      await Item.getById(1); // unnamed, described
      await Item.getById(2); // prepared under a name, described
      relay.reset();
      const rows = await Promise.all([Item.getById(3), Item.getById(1)]);
      expect(rows.map((r) => [r.id, r.label, r.size])).toEqual([
        [3, 'c', 3],
        [1, 'a', 1],
      ]);
      expect(relay.roundTrips).toBe(2);
      expect(relay.rowDescriptions).toBe(0);
      expect(await Item.select(Item.id, Item.size).where(Item.id.eq(2)).dicts()).toEqual([{ id: 2, size: 2 }]);
    } finally {
      await relay.close();
    }
  });

  it('inside a transaction, a refused statement fails the transaction (it is aborted anyway) and is prepared afresh after it', async () => {
    const { db, Thing } = await preparedThenAltered('gadgets', 5, 'bigint');
    const failure = await db
      .atomic(async () => {
        await Thing.getById(1);
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DatabaseError);
    expect((failure as DatabaseError).code).toBe('0A000');
    expect((await Thing.getById(1)).weight).toBe(5);
    expect(db.inTransaction).toBe(false);
  });

  it('are used on the blocking connection too', () => {
    const db = open();
    const Item = itemsOn(db);
    Item.getByIdSync(1);
    Item.getByIdSync(1);
    const { rows } = db.executeSync(sql`SELECT count(*) AS n FROM pg_prepared_statements WHERE name LIKE 'pewit%'`);
    expect(rows[0]?.n).toBe(1);
  });

  it('are kept per pooled connection, and every connection answers correctly', async () => {
    const db = new PooledPostgresqlDatabase(database.url(), { max: 4, statementCacheSize: 8 });
    opened.push(db);
    const Item = itemsOn(db);
    const labels = await Promise.all(Array.from({ length: 200 }, (_, i) => Item.getById((i % 3) + 1).then((item) => item.label)));
    expect(labels).toEqual(Array.from({ length: 200 }, (_, i) => 'abc'[i % 3]));
    // Hold all four connections at once (each transaction waits for the others) and read each one's own catalog.
    let arrived = 0;
    let allArrived!: () => void;
    const everyone = new Promise<void>((resolve) => {
      allArrived = resolve;
    });
    const sessions = await Promise.all(
      Array.from({ length: 4 }, () =>
        db.atomic(async () => {
          if (++arrived === 4) allArrived();
          await everyone;
          // Under load pg-pool may have opened a connection late, after the lookups above: give each its second run.
          await Item.getById(1);
          await Item.getById(1);
          const { rows } = await db.execute(
            sql`SELECT pg_backend_pid() AS pid, array_agg(statement) AS statements FROM pg_prepared_statements WHERE name LIKE 'pewit%'`,
          );
          return rows[0] as { pid: number; statements: string[] | null };
        }),
      ),
    );
    expect(new Set(sessions.map((s) => s.pid)).size).toBe(4);
    for (const session of sessions) expect(session.statements).toEqual([expect.stringMatching(/^SELECT .* FROM "items" WHERE "items"\."id" = \$1/)]);
  });
});
