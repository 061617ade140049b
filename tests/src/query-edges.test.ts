// Promises of docs/querying.md that no other file checks on a server: thenables returned from async functions,
// row shapes (.models(), raw foreign keys in dicts, int8 beyond 2^53), limit(null), scalar() by field, onConflict
// and update() refusals, RETURNING with no arguments, insertMany rows with different fields, insertFrom defaults.
import { AutoField, CharField, DateTimeField, ForeignKeyField, fn, IntegerField, model, sql, TextField } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();
let db: PostgresqlDatabase;

function defineModels(d: PostgresqlDatabase) {
  class Author extends model(
    'qe_authors',
    { id: AutoField(), name: CharField({ maxLength: 40, unique: true }), age: IntegerField({ null: true }), joinedAt: DateTimeField({ null: true }) },
    { database: d },
  ) {}
  class Note extends model(
    'qe_notes',
    { id: AutoField(), author: ForeignKeyField(() => Author), body: TextField(), stars: IntegerField({ default: 1 }) },
    { database: d },
  ) {}
  return { Author, Note };
}
let M: ReturnType<typeof defineModels>;

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  M = defineModels(db);
  await db.createTables([M.Author, M.Note]);
  const ann = await M.Author.create({ name: 'ann', age: 30, joinedAt: new Date('2026-01-02T03:04:05Z') });
  await M.Note.insertMany([
    { author: ann, body: 'one', stars: 3 },
    { author: ann, body: 'two' },
  ]);
});
afterAll(() => db.close());

describe('queries are thenable', () => {
  it('returning a query from an async function runs it; then, catch and execute() evaluate like await', async () => {
    const { Author } = M;
    async function fromAsync() {
      return Author.select().where(Author.c.name.eq('ann'));
    }
    const log = recordQueries(db);
    const rows = await fromAsync();
    expect(Array.isArray(rows)).toBe(true);
    expect(rows.map((a) => a.name)).toEqual(['ann']);
    expect(log.count).toBe(1);
    const q = Author.select().where(Author.c.name.eq('ann'));
    expect((await q.execute()).map((a) => a.name)).toEqual(['ann']);
    expect(await q.then((r) => r.length)).toBe(1);
    const failing = Author.select().where(sql`no_such_column = 1`);
    expect(await failing.catch((e: unknown) => (e as Error).constructor.name)).toBe('ProgrammingError');
    log.stop();
    expect(log.count).toBe(4);
  });
});

describe('row shapes and conversions', () => {
  it('dicts and tuples give a foreign key as its raw key; .models() switches back to instances', async () => {
    const { Author, Note } = M;
    const ann = await Author.get(Author.c.name.eq('ann'));
    const q = Note.select(Note.body, Note.author).where(Note.body.eq('one'));
    expect(await q.dicts()).toEqual([{ body: 'one', author: ann.id }]);
    expect(await q.tuples()).toEqual([['one', ann.id]]);
    const back = await q.dicts().models();
    expect(back[0]).toBeInstanceOf(Note);
    // .models() is typed SelectQuery<Model> after .dicts() (reported to the types work), so the row is cast here.
    expect((back[0] as InstanceType<typeof Note> | undefined)?.authorId).toBe(ann.id);
  });

  it('int8 results are numbers while exact and bigints beyond 2^53; numeric stays an exact string', async () => {
    const { rows } = await db.execute(sql`SELECT count(*) AS n, 9007199254740993::int8 AS big, 1.50::numeric AS exact`);
    expect(rows).toEqual([{ n: 1, big: 9007199254740993n, exact: '1.50' }]);
  });

  it('scalar() converts by the first column’s field: a timestamp becomes a Date, a foreign key its raw key', async () => {
    const { Author, Note } = M;
    const ann = await Author.get(Author.c.name.eq('ann'));
    expect(await Author.select(Author.joinedAt).where(Author.id.eq(ann.id)).scalar()).toEqual(new Date('2026-01-02T03:04:05Z'));
    expect(await Note.select(Note.author).where(Note.body.eq('one')).scalar()).toBe(ann.id);
    expect(await Note.select(fn.max(Note.stars)).scalar()).toBe(3);
    expect(await Note.select(Note.body).where(Note.body.eq('none')).scalar()).toBeNull();
  });

  it('limit(null) and offset(null) remove them; a negative limit throws before any SQL', async () => {
    const { Note } = M;
    const q = Note.select().orderBy(Note.id).limit(1).offset(1);
    expect((await q).map((n) => n.body)).toEqual(['two']);
    expect((await q.limit(null).offset(null)).map((n) => n.body)).toEqual(['one', 'two']);
    expect(q.limit(null).offset(null).sql().text).not.toMatch(/LIMIT|OFFSET/);
    expect(() => Note.select().limit(-1)).toThrow(/must be a non-negative integer/);
    expect(() => Note.select().offset(1.5)).toThrow(/must be a non-negative integer/);
  });
});

describe('writes', () => {
  it('onConflict refuses ignore with update, and neither; update({}) refuses an empty SET; nothing is sent', () => {
    const { Author } = M;
    const log = recordQueries(db);
    expect(() => Author.insert({ name: 'x' }).onConflict({ target: [Author.c.name], ignore: true, update: { age: 1 } })).toThrow(
      'onConflict: choose ignore or update, not both',
    );
    expect(() => Author.insert({ name: 'x' }).onConflict({ target: [Author.c.name] })).toThrow('onConflict: pass { ignore: true } or { update: {...} }');
    expect(() => Author.update({})).toThrow(/update\(\): nothing to set; pass at least one field/);
    log.stop();
    expect(log.count).toBe(0);
  });

  it('returning() with no arguments gives every field of the affected rows as instances', async () => {
    const { Author } = M;
    const [bea] = await Author.insert({ name: 'bea-ret', age: 20 }).returning();
    expect(bea).toBeInstanceOf(Author);
    expect([bea?.name, bea?.age, bea?.joinedAt, typeof bea?.id]).toEqual(['bea-ret', 20, null, 'number']);
    const [older] = await Author.update({ age: 21 }).where(Author.c.name.eq('bea-ret')).returning();
    expect([older?.id, older?.name, older?.age]).toEqual([bea?.id, 'bea-ret', 21]);
    const [gone] = await Author.delete().where(Author.c.name.eq('bea-ret')).returning();
    expect(gone?.id).toBe(bea?.id);
  });

  it('insertMany rows may leave out different optional fields: NULL for a missing column, DEFAULT for the serial key', async () => {
    const { Author } = M;
    const rows = await Author.insertMany([
      { name: 'cy-many', age: 5 },
      { name: 'dee-many', joinedAt: new Date(0) },
      { id: 9_001, name: 'eve-many' },
    ]).returning();
    expect(rows.map((r) => [r.name, r.age, r.joinedAt])).toEqual([
      ['cy-many', 5, null],
      ['dee-many', null, new Date(0)],
      ['eve-many', null, null],
    ]);
    expect(rows[0]?.id).toBeTypeOf('number');
    expect(rows[2]?.id).toBe(9_001);
  });

  it('insertFrom: fields not named get the server default, never the JavaScript default', async () => {
    const { Note } = M;
    await db.execute(sql`ALTER TABLE qe_notes ALTER COLUMN stars SET DEFAULT 42`);
    try {
      const copied = await Note.insertFrom(Note.select(Note.author, Note.body.concat(' copy')).where(Note.body.eq('one')), [
        Note.author,
        Note.body,
      ]).returning();
      expect(copied.map((n) => [n.body, n.stars])).toEqual([['one copy', 42]]);
    } finally {
      await db.execute(sql`ALTER TABLE qe_notes ALTER COLUMN stars DROP DEFAULT`);
      await Note.delete().where(Note.body.eq('one copy'));
    }
  });
});
