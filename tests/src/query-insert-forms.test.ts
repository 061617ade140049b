// insertMany sends one array per column (`INSERT … SELECT * FROM unnest($1::t[], …)`) where the rows allow it, and
// the multi-row VALUES form otherwise (issue #20). Both forms must store the same values: the same rows go in once
// through each form (batchSize 1 gives single-row VALUES statements), and the server's text of every stored row is
// compared, for every kind of column, hostile strings, NULLs, defaults, RETURNING and onConflict.
import {
  AutoField,
  BigIntegerField,
  BooleanField,
  ByteaField,
  CharField,
  DateField,
  DateTimeField,
  DecimalField,
  EnumField,
  FloatField,
  ForeignKeyField,
  IntegerField,
  JSONField,
  model,
  sql,
  TextField,
  UUIDField,
} from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const database = useTestDatabase();
let db: PostgresqlDatabase;

function define(target: PostgresqlDatabase) {
  class Owner extends model('form_owners', { id: AutoField(), name: TextField() }, { database: target }) {}
  const columns = () => ({
    id: AutoField(),
    owner: ForeignKeyField(() => Owner, { null: true }),
    label: CharField({ maxLength: 40, unique: true }),
    note: TextField({ null: true }),
    n: IntegerField({ default: 7 }),
    big: BigIntegerField({ null: true }),
    price: DecimalField({ maxDigits: 12, decimalPlaces: 3, null: true }),
    ratio: FloatField({ null: true }),
    flag: BooleanField({ default: false }),
    day: DateField({ null: true }),
    at: DateTimeField({ null: true }),
    doc: JSONField({ null: true }),
    uid: UUIDField({ null: true }),
    bytes: ByteaField({ null: true }),
    mood: EnumField(['calm', 'angry'] as const, { typeName: 'form_mood', null: true }),
  });
  class Arrays extends model('form_rows_arrays', columns(), { database: target }) {}
  // The same enum type serves both tables; the first model creates it.
  class Values extends model(
    'form_rows_values',
    { ...columns(), mood: EnumField(['calm', 'angry'] as const, { typeName: 'form_mood', null: true, createType: false }) },
    { database: target },
  ) {}
  return { Owner, Arrays, Values };
}
let M: ReturnType<typeof define>;

const HOSTILE = ['NULL', 'null', '', ' ', '"', '\\', '{a,b}', "it's", 'a,b', '}{', '\\"x\\"', 'ünï ✓', 'line\nbreak', '\t'];

function rowsFor(ownerId: number) {
  return HOSTILE.map((note, i) => ({
    owner: i % 3 === 0 ? null : ownerId,
    label: `row ${i}`,
    note: i % 5 === 4 ? null : note,
    ...(i % 2 === 0 ? { n: i } : {}), // the others take the default
    big: i % 4 === 0 ? null : 2n ** 62n - BigInt(i),
    price: i % 4 === 1 ? null : `${i}.125`,
    ratio: i % 3 === 2 ? null : i / 7,
    flag: i % 2 === 1,
    day: i % 3 === 1 ? null : new Date(Date.UTC(2024, 1, 29 - i)),
    at: i % 3 === 2 ? null : new Date(Date.UTC(2024, 0, 1, 12, 0, 0, i)),
    doc: i % 4 === 3 ? null : { note, list: [1, [2, 3], { deep: note }], n: i },
    uid: i % 2 === 0 ? null : `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    bytes: i % 3 === 0 ? null : Buffer.from([0, i, 255, 92, 34]),
    mood: i % 3 === 0 ? null : i % 2 ? ('calm' as const) : ('angry' as const),
  }));
}

/** Every stored row as the server prints it, so the two tables compare cell by cell whatever the column type. */
async function stored(table: string) {
  const { rows } = await db.execute(sql`SELECT to_jsonb(t) - 'id' AS row FROM ${sql.identifier(table)} AS t ORDER BY label`);
  return rows.map((r) => r.row);
}

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  M = define(db);
  await db.createTables([M.Owner, M.Arrays, M.Values]);
});
beforeEach(async () => {
  await db.execute(sql`TRUNCATE form_rows_arrays, form_rows_values, form_owners RESTART IDENTITY`);
});
afterAll(() => db.close());

describe('insertMany: one array per column, or multi-row VALUES', () => {
  it('stores the same values both ways, for every column kind, hostile strings, NULLs and defaults', async () => {
    const owner = await M.Owner.create({ name: 'o' });
    const log = recordQueries(db);
    expect(await M.Arrays.insertMany(rowsFor(owner.id))).toBe(HOSTILE.length);
    expect(await M.Values.insertMany(rowsFor(owner.id), { batchSize: 1 })).toBe(HOSTILE.length);
    log.stop();
    const inserts = log.sql.filter((s) => s.startsWith('INSERT'));
    expect(inserts[0]).toMatch(/^INSERT INTO "form_rows_arrays" \(.*\) SELECT \* FROM unnest\(\$1::integer\[\], \$2::varchar\(40\)\[\], .*"form_mood"\[\]\)$/);
    expect(inserts.slice(1)).toHaveLength(HOSTILE.length);
    for (const s of inserts.slice(1)) expect(s, s).toMatch(/^INSERT INTO "form_rows_values" \(.*\) VALUES \(\$1, .*\)$/);
    const viaArrays = await stored('form_rows_arrays');
    expect(viaArrays).toEqual(await stored('form_rows_values'));
    // And what was stored is what was given: spot checks through the models.
    const back = await M.Arrays.select().orderBy(M.Arrays.id);
    expect(back.map((r) => r.note)).toEqual(rowsFor(owner.id).map((r) => r.note));
    expect(back.map((r) => r.n)).toEqual(HOSTILE.map((_, i) => (i % 2 === 0 ? i : 7)));
    expect(back[1]?.big).toBe(2n ** 62n - 1n);
    expect(back[1]?.doc).toEqual({ note: 'null', list: [1, [2, 3], { deep: 'null' }], n: 1 });
    expect(back[1]?.bytes).toEqual(Buffer.from([0, 1, 255, 92, 34]));
  });

  it('RETURNING gives the rows in the order given, with their keys', async () => {
    const rows = HOSTILE.map((note, i) => ({ label: `r${String(i).padStart(2, '0')}`, note }));
    const returned = await M.Arrays.insertMany(rows).returning();
    expect(returned.map((r) => [r.label, r.note])).toEqual(rows.map((r) => [r.label, r.note]));
    expect(returned.map((r) => r.id)).toEqual(HOSTILE.map((_, i) => i + 1));
    expect(returned[0]).toBeInstanceOf(M.Arrays);
  });

  it('onConflict ignore and update work the same in the array form', async () => {
    await M.Arrays.insertMany([
      { label: 'a', n: 1 },
      { label: 'b', n: 2 },
    ]);
    const log = recordQueries(db);
    expect(
      await M.Arrays.insertMany([
        { label: 'a', n: 10 },
        { label: 'c', n: 30 },
      ]).onConflict({ target: [M.Arrays.label], ignore: true }),
    ).toBe(1);
    const updated = await M.Arrays.insertMany([
      { label: 'b', n: 20 },
      { label: 'd', n: 40 },
    ])
      .onConflict({ target: [M.Arrays.label], update: { n: M.Arrays.n.add(100) } })
      .returning(M.Arrays.label, M.Arrays.n);
    log.stop();
    expect(log.sql.filter((s) => s.startsWith('INSERT')).every((s) => s.includes('FROM unnest('))).toBe(true);
    expect(updated.map((r) => [r.label, r.n])).toEqual([
      ['b', 102],
      ['d', 40],
    ]);
    const all = await M.Arrays.select(M.Arrays.label, M.Arrays.n).orderBy(M.Arrays.label).tuples();
    expect(all).toEqual([
      ['a', 1],
      ['b', 102],
      ['c', 30],
      ['d', 40],
    ]);
  });

  it('a bad value is refused before any SQL, naming model and field, in the array form too', async () => {
    const log = recordQueries(db);
    await expect(M.Arrays.insertMany([{ label: 'ok' }, { label: 'x'.repeat(41) }])).rejects.toThrow(/^Arrays\.label: expected at most 40 characters/);
    await expect(M.Arrays.insertMany([{ label: 'ok' }, { label: 'y', n: 1.5 as number }])).rejects.toThrow(/^Arrays\.n: /);
    expect(log.count).toBe(0);
    log.stop();
  });

  it('above 65,535 parameters: one statement in the array form, several in the VALUES form, every row stored', async () => {
    const rows = Array.from({ length: 22_000 }, (_, i) => ({ label: `u${i}`, n: i % 90 }));
    const log = recordQueries(db);
    expect(await M.Arrays.insertMany(rows)).toBe(22_000);
    // An expression in one cell needs VALUES for every row: 22,000 rows × 4 columns are two statements.
    const withExpression = rows.map((r, i) => (i === 0 ? { ...r, note: sql`'computed'` } : r));
    expect(await M.Values.insertMany(withExpression as typeof rows)).toBe(22_000);
    log.stop();
    expect(log.sql.filter((s) => s.startsWith('INSERT INTO "form_rows_arrays"'))).toHaveLength(1);
    expect(log.sql.filter((s) => s.startsWith('INSERT INTO "form_rows_values"'))).toHaveLength(2);
    expect(await M.Arrays.select().count()).toBe(22_000);
    expect(await M.Values.select().count()).toBe(22_000);
    expect(await M.Arrays.select(M.Arrays.n).where(M.Arrays.label.eq('u21999')).scalar()).toBe(21_999 % 90);
  });
});
