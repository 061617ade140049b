import { AutoField, IntegerField, model, sql, TextField, ValidationError } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();
let db: PostgresqlDatabase;

function defineNote(target: PostgresqlDatabase) {
  return class Note extends model('notes', { id: AutoField(), title: TextField(), rank: IntegerField() }, { database: target }) {
    shout() {
      return this.title.toUpperCase();
    }
  };
}
let Note: ReturnType<typeof defineNote>;

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  Note = defineNote(db);
  await db.createTables([Note]);
});
afterAll(() => db.close());

describe('the vertical slice, on a real server', () => {
  it('runs on a real PostgreSQL and reads server_version through the ORM', async () => {
    const { rows } = await db.execute(sql`SELECT current_setting('server_version_num')::int AS version, version() AS banner`);
    expect(rows[0]?.version).toBeGreaterThanOrEqual(150000);
    expect(String(rows[0]?.banner)).toMatch(/^PostgreSQL \d+/);
  });

  it('creates rows and reads them back as instances of the user class', async () => {
    const created = await Note.create({ title: 'first', rank: 1 });
    expect(created.id).toBeTypeOf('number');
    await Note.create({ title: 'second', rank: 2 });
    const found = await Note.select().where(Note.title.eq('second'));
    expect(found).toHaveLength(1);
    expect(found[0]).toBeInstanceOf(Note);
    expect(found[0]?.rank).toBe(2);
    expect(found[0]?.shout()).toBe('SECOND');
  });

  it('compiles to parameterised SQL with quoted identifiers without executing', () => {
    const log = recordQueries(db);
    const compiled = Note.select().where(Note.rank.eq(3)).sql();
    expect(compiled).toEqual({
      text: 'SELECT "notes"."id", "notes"."title", "notes"."rank" FROM "notes" WHERE "notes"."rank" = $1',
      values: [3],
    });
    expect(log.count).toBe(0);
    log.stop();
  });

  it('emits one query event per statement through the one choke point', async () => {
    const log = recordQueries(db);
    await Note.select().where(Note.rank.gte(1));
    await Note.create({ title: 'third', rank: 3 });
    expect(log.events.map((e) => [e.path, e.sql.split(' ')[0]])).toEqual([
      ['async', 'SELECT'],
      ['async', 'INSERT'],
    ]);
    expect(log.events[0]?.params).toEqual([1]);
    // durationMs spans the round trip: a statement the server holds for 50 ms cannot report less.
    await db.execute(sql`SELECT pg_sleep(0.05)`);
    expect(log.events[2]?.durationMs).toBeGreaterThanOrEqual(49);
    log.stop();
  });

  it('is lazy: building a query sends nothing, and it is not cached', async () => {
    const log = recordQueries(db);
    const q = Note.select().where(Note.rank.eq(1));
    expect(log.count).toBe(0);
    expect(await q).toHaveLength(1);
    await Note.create({ title: 'again', rank: 1 });
    expect(await q).toHaveLength(2);
    expect(log.count).toBe(3);
    log.stop();
  });

  it('refuses a wrong value before any SQL is sent, naming model and field', async () => {
    const log = recordQueries(db);
    await expect(Note.create({ title: 'x', rank: 'high' as unknown as number })).rejects.toThrow(ValidationError);
    await expect(Note.create({ title: 'x', rank: 'high' as unknown as number })).rejects.toThrow(/^Note\.rank: expected an integer/);
    expect(log.count).toBe(0);
    log.stop();
  });

  it('runs statements one at a time on its single connection', async () => {
    // Ten statements started together; the server's clock says when each ran. Serialized means no two overlap.
    const runs = await Promise.all(
      Array.from({ length: 10 }, () =>
        db.execute(sql`SELECT pg_backend_pid() AS pid, clock_timestamp()::text AS started, pg_sleep(0.01)::text AS slept, clock_timestamp()::text AS ended`),
      ),
    );
    const spans = runs.map((r) => r.rows[0] as { pid: number; started: string; ended: string });
    expect(new Set(spans.map((s) => s.pid)).size).toBe(1);
    const { rows } = await db.execute(
      sql`SELECT count(*)::int AS overlaps FROM jsonb_to_recordset(${JSON.stringify(spans)}::jsonb) a(started timestamptz, ended timestamptz)
          JOIN jsonb_to_recordset(${JSON.stringify(spans)}::jsonb) b(started timestamptz, ended timestamptz)
            ON a.started < b.started AND b.started < a.ended`,
    );
    expect(rows[0]?.overlaps).toBe(0);
  });
});
