// Proves CONTRIBUTING.md / architecture.md "Immutability": every builder method returns a new query, the query it
// was called on keeps its SQL, and queries never cache rows.
import { AutoField, IntegerField, model, TextField } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();
let db: PostgresqlDatabase;

function defineNote(target: PostgresqlDatabase) {
  return class Note extends model('immutable_notes', { id: AutoField(), title: TextField(), rank: IntegerField() }, { database: target }) {};
}
let Note: ReturnType<typeof defineNote>;

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  Note = defineNote(db);
  await db.createTables([Note]);
});
afterAll(() => db.close());

describe('immutable queries', () => {
  it('every builder method returns a new query and leaves the one it was called on as it was', () => {
    const base = Note.select();
    const text = base.sql().text;
    const derived = [
      base.where(Note.rank.gt(1)),
      base.orderBy(Note.rank.desc()),
      base.limit(3),
      base.offset(2),
      base.distinct(),
      base.groupBy(Note.rank),
      base.where(Note.rank.gt(1)).where(Note.title.eq('x')),
    ];
    for (const query of derived) {
      expect(query === base).toBe(false); // not expect(query): a query is iterable, and printing it would run it
      expect(query.sql().text).not.toBe(text);
    }
    expect(base.sql()).toEqual({ text, values: [] });
    const filtered = base.where(Note.rank.gt(1));
    filtered.where(Note.title.eq('x'));
    expect(filtered.sql().values).toEqual([1]);
  });

  it('the same query object sent twice reads the rows again: nothing is cached', async () => {
    const query = Note.select().where(Note.rank.eq(7));
    expect(await query).toHaveLength(0);
    await Note.create({ title: 'seven', rank: 7 });
    expect(await query).toHaveLength(1);
    expect(query.allSync()).toHaveLength(1);
  });

  it('a query object is compiled once: sql() gives the same compiled object again, also after it ran', async () => {
    const query = Note.select().where(Note.rank.eq(8));
    const first = query.sql();
    expect(query.sql()).toBe(first);
    await query;
    expect(query.sql()).toBe(first);
    // A new query object (even an equal one) compiles for itself.
    expect(Note.select().where(Note.rank.eq(8)).sql()).not.toBe(first);
  });
});
