// Proves docs/architecture.md "Why text cells": the backend asks pg for raw text per query and never changes
// pg.types' global parsers, so other pg code in the same process still gets pg's defaults.
import { AutoField, BigIntegerField, DateTimeField, DecimalField, model, sql } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { useTestDatabase } from '@pewit/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();
/** OIDs pewit decodes itself: int2, int4, int8, bool, numeric, float8, date, timestamp, timestamptz, json, jsonb, int4[]. */
const OIDS = [21, 23, 20, 16, 1700, 701, 1082, 1114, 1184, 114, 3802, 1007];
const before = new Map(OIDS.map((oid) => [oid, pg.types.getTypeParser(oid, 'text')]));
let single: PostgresqlDatabase;
let pooled: PooledPostgresqlDatabase;

beforeAll(() => {
  single = new PostgresqlDatabase(database.url());
  pooled = new PooledPostgresqlDatabase(database.url(), { max: 2 });
});
afterAll(async () => {
  await single.close();
  await pooled.close();
});

describe("pg.types' global parsers", () => {
  // A change made when pewit's modules load would already be in `before`: the next test catches that one.
  it('are the same functions after async, blocking and pooled queries of every type pewit converts', async () => {
    for (const db of [single, pooled]) {
      class Row extends model('typed_rows', { id: AutoField(), big: BigIntegerField(), at: DateTimeField(), price: DecimalField() }, { database: db }) {}
      await db.createTables([Row], { safe: true });
      await Row.create({ big: 9007199254740993n, at: new Date('2026-01-02T03:04:05Z'), price: '1.50' });
      expect((await Row.select().first())?.big).toBe(9007199254740993n);
      await db.execute(
        sql`SELECT 1::int2, 1::int4, 1::int8, true, 1.5::numeric, 1.5::float8, now()::date, now()::timestamp, now(), '{}'::json, '{}'::jsonb, '{1}'::int4[]`,
      );
    }
    single.executeSync(sql`SELECT 1::int8, now()`);
    for (const oid of OIDS) expect(pg.types.getTypeParser(oid, 'text'), `parser of OID ${oid}`).toBe(before.get(oid));
  });

  it("so a plain pg.Client in the same process still gets pg's defaults", async () => {
    await single.execute(sql`SELECT 1::int8`);
    const client = new pg.Client({ connectionString: database.url() });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT 9007199254740993::int8 AS big, '2026-01-02T03:04:05Z'::timestamptz AS at, 1.50::numeric AS price`);
      expect(rows[0]).toEqual({ big: '9007199254740993', at: new Date('2026-01-02T03:04:05Z'), price: '1.50' });
    } finally {
      await client.end();
    }
  });
});
