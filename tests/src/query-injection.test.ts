import { AutoField, createTableSql, cte, DatabaseError, extract, ForeignKeyField, fn, IntegerField, model, sql, TextField } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import {
  binary,
  column,
  compile,
  compound,
  EMPTY_SELECT,
  groupingSet,
  insertStatement,
  join,
  lockClause,
  onConflictClause,
  orderBy,
  table,
  unary,
  updateSelect,
  value,
  windowSpec,
} from '@pewit/query';
import { useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();
let db: PostgresqlDatabase;

function models(target: PostgresqlDatabase) {
  class Item extends model('items', { id: AutoField(), label: TextField(), n: IntegerField({ default: 0 }) }, { database: target }) {}
  class Canary extends model('canary', { id: AutoField(), note: TextField() }, { database: target }) {}
  return { Item, Canary };
}
let M: ReturnType<typeof models>;

/** Strings an attacker would try: quotes, statement breaks, comments, placeholders, NUL, a very long one. */
const HOSTILE = [
  "'",
  '"',
  'ROWS; DROP TABLE canary; --',
  "x') ; DELETE FROM canary; --",
  '/* comment */ ROWS',
  '-- comment\nROWS',
  '$1',
  'a\u0000b',
  `${'A'.repeat(100_000)}; DROP TABLE canary`,
  'UNBOUNDED PRECEDING) ; DROP TABLE canary; --',
  'LEFT JOIN canary ON true; --',
];

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  M = models(db);
  await db.createTables([M.Item, M.Canary]);
  await M.Item.insertMany([
    { label: 'a', n: 1 },
    { label: 'b', n: 2 },
  ]);
  await M.Canary.create({ note: 'alive' });
});
afterAll(() => db.close());

async function expectUntouched(): Promise<void> {
  expect(await M.Canary.select(M.Canary.note).tuples()).toEqual([['alive']]);
  expect(await M.Item.select().count()).toBe(2);
  const tables = await db.execute(sql`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
  expect(tables.rows.map((r) => r.tablename)).toEqual(['canary', 'items']);
}

let hostileModels = 0;

/** Each option that becomes SQL words: building (or compiling, for hand-written nodes) throws an error naming the option. */
const KEYWORD_OPTIONS: readonly [string, RegExp, (h: string) => unknown][] = [
  ['frame type', /window frame type/, (h) => fn.rank().over({ orderBy: M.Item.n, frame: { type: h as 'ROWS', start: 'UNBOUNDED PRECEDING' } })],
  ['frame start', /window frame start/, (h) => fn.rank().over({ frame: { type: 'ROWS', start: h } })],
  ['frame end', /window frame end/, (h) => fn.rank().over({ frame: { type: 'ROWS', start: 'UNBOUNDED PRECEDING', end: h } })],
  ['frame exclusion', /window frame exclude/, (h) => fn.rank().over({ frame: { type: 'ROWS', start: 'CURRENT ROW', exclude: h as 'TIES' } })],
  ['join type', /join type/, (h) => M.Item.select().join(M.Canary, { type: h as 'left', on: sql`true` })],
  ['NULLS ordering', /NULLS ordering/, (h) => M.Item.n.asc(h as 'first')],
  ['NULLS ordering (node)', /NULLS ordering/, (h) => orderBy(column('n'), 'ASC', h as 'FIRST')],
  ['order direction (node)', /order direction/, (h) => orderBy(column('n'), h as 'ASC')],
  ['lock strength', /lock strength/, (h) => lockClause(h as 'UPDATE')],
  ['lock wait', /lock wait/, (h) => lockClause('UPDATE', { wait: h as 'NOWAIT' })],
  ['cast type', /cast\(\)/, (h) => M.Item.n.cast(h)],
  ['parameter cast', /value cast/, (h) => value(1, h)],
  ['function name', /fn: .* is not a valid SQL function name/, (h) => (fn as unknown as Record<string, () => unknown>)[h]?.()],
  ['sql.join separator', /sql\.join separator/, (h) => sql.join([sql`1`, sql`2`], h)],
  ['binary operator', /binary operator/, (h) => binary(column('n'), h as '=', value(1))],
  ['unary operator', /unary operator/, (h) => unary(h as 'NOT', column('n'))],
  ['set operator', /set operator/, (h) => compound(M.Item.select().toNode(), h as 'UNION', M.Item.select().toNode())],
  ['join type (node)', /join type/, (h) => join(h as 'inner', table('canary'))],
  ['extract field', /extract field/, (h) => extract(h as 'year', M.Item.n)],
  ['grouping set (node)', /grouping set/, (h) => groupingSet(h as 'ROLLUP', [[column('n')]])],
  ['onConflict action (node)', /onConflict action/, (h) => onConflictClause({ target: [column('label')], action: h as 'nothing' })],
  ...(['onDelete', 'onUpdate'] as const).map((option): [string, RegExp, (h: string) => unknown] => [
    `foreign key ${option}`,
    new RegExp(`^ForeignKeyField ${option}: .{1,70} is not one of`, 's'),
    (h) =>
      createTableSql(model(`hostile_fk_${hostileModels++}`, { id: AutoField(), owner: ForeignKeyField(() => M.Canary, { [option]: h as 'CASCADE' }) })._meta),
  ]),
  [
    'index method (using)',
    /Hostile index using/,
    (h) => model('hostile', { id: AutoField(), n: IntegerField() }, { database: db, indexes: [{ fields: ['n'], using: h as 'gin' }] }),
  ],
];

/** The same options written as node literals that skip the factories: the compiler checks them too. */
const COMPILED_OPTIONS: readonly [string, RegExp, (h: string) => unknown][] = [
  ['frame type', /window frame type/, (h) => compile(fnOver({ type: h, start: 'CURRENT ROW' }))],
  ['frame bound', /window frame start/, (h) => compile(fnOver({ type: 'ROWS', start: h }))],
  [
    'join type',
    /join type/,
    (h) => compile(updateSelect(EMPTY_SELECT, { from: [table('items')], joins: [{ kind: 'join', type: h as 'left', target: table('canary') }] })),
  ],
  ['lock strength', /lock strength/, (h) => compile(updateSelect(EMPTY_SELECT, { from: [table('items')], lock: { strength: h as 'UPDATE' } }))],
  ['lock wait', /lock wait/, (h) => compile(updateSelect(EMPTY_SELECT, { from: [table('items')], lock: { strength: 'UPDATE', wait: h as 'NOWAIT' } }))],
  ['binary operator', /binary operator/, (h) => compile({ kind: 'binary', op: h as '=', left: column('n'), right: value(1) })],
  ['unary operator', /unary operator/, (h) => compile({ kind: 'unary', op: h as 'NOT', operand: column('n') })],
  ['NULLS ordering', /NULLS ordering/, (h) => compile({ kind: 'orderBy', expr: column('n'), nulls: h as 'LAST' })],
  ['cast type', /cast\(\)/, (h) => compile({ kind: 'cast', expr: column('n'), type: h })],
  ['parameter cast', /value cast/, (h) => compile({ kind: 'value', value: 1, cast: h })],
  ['function name', /fn: /, (h) => compile({ kind: 'function', name: h, args: [] })],
  ['set operator', /set operator/, (h) => compile({ kind: 'compound', op: h as 'UNION', left: value(1), right: value(2), orderBy: [] })],
  ['extract field', /extract field/, (h) => compile({ kind: 'extract', field: h as 'year', expr: column('n') })],
  ['grouping set', /grouping set/, (h) => compile({ kind: 'groupingSet', type: h as 'CUBE', items: [[column('n')]] })],
  [
    'onConflict action',
    /onConflict action/,
    (h) =>
      compile({
        ...insertStatement({ table: table('items'), columns: ['label'], values: [[value('x')]], returning: [] }),
        onConflict: { target: [column('label')], action: h as 'nothing' },
      }),
  ],
];

function fnOver(frame: { type: string; start: string }) {
  const w = windowSpec([], []);
  return { kind: 'function' as const, name: 'rank', args: [], over: { ...w, frame: frame as never } };
}

describe('no option a caller passes reaches the SQL text unchecked', () => {
  for (const [option, message, build] of KEYWORD_OPTIONS) {
    it(`${option}: every hostile string is refused with an error naming the option`, async () => {
      for (const h of HOSTILE) expect(() => build(h), `${option} ${JSON.stringify(h.slice(0, 40))}`).toThrow(message);
      await expectUntouched();
    });
  }

  for (const [option, message, build] of COMPILED_OPTIONS) {
    it(`${option} in a hand-written node: the compiler refuses it`, () => {
      for (const h of HOSTILE) expect(() => build(h), `${option} ${JSON.stringify(h.slice(0, 40))}`).toThrow(message);
    });
  }

  it('the message shows the value cut short, so a huge one does not flood the log', () => {
    const long = 'B'.repeat(100_000);
    expect(() => M.Item.n.asc(long as 'first')).toThrow(/NULLS ordering: "B{60}…" is not one of "first", "last"/);
    expect(() => fn.rank().over({ frame: { type: long as 'ROWS', start: 'CURRENT ROW' } })).toThrow(/window frame type: "B{60}…" is not one of/);
  });

  it('aliases, CTE, subquery and schema names are quoted identifiers: hostile ones run or fail in PostgreSQL, never as SQL', async () => {
    const { Item } = M;
    for (const h of HOSTILE) {
      if (h.includes('\u0000')) {
        expect(() => Item.select(Item.n.as(h)).sql()).toThrow(/NUL/);
        continue;
      }
      // PostgreSQL truncates identifiers to 63 bytes: a long alias still names one column.
      const rows = await Item.select(Item.label.as(h)).where(Item.n.eq(1)).dicts();
      expect(Object.values(rows[0] as object)).toEqual(['a']);
      const sub = Item.select(Item.label, Item.n).subquery(h.slice(0, 60));
      expect(await sub.select(sub.c.label).where(sub.c.n.eq(2)).tuples()).toEqual([['b']]);
      const named = cte(h.slice(0, 60), Item.select(Item.n));
      expect(await named.select().count()).toBe(2);
      class Elsewhere extends model('items', { id: AutoField() }, { database: db, schema: h.slice(0, 60) }) {}
      await expect(Elsewhere.select().count()).rejects.toThrow(DatabaseError);
      // A collation is a quoted identifier too: an unknown one is PostgreSQL's error, never SQL.
      await expect(Item.select(Item.label.collate(h.slice(0, 60))).tuples()).rejects.toThrow(/collation .* for encoding|does not exist/);
    }
    expect(() => Item.label.collate('a\u0000b')).toThrow(/collate\(\): the collation must be a name of 1 to 63 characters without NUL/);
    expect(() => Item.label.collate('C'.repeat(64))).toThrow(/collate\(\)/);
    await expectUntouched();
  });

  it('valid options still work on the server', async () => {
    const { Item } = M;
    const ranked = await Item.select(
      Item.label,
      fn
        .sum(Item.n)
        .over({ orderBy: Item.n, frame: { type: 'ROWS', start: 'UNBOUNDED PRECEDING', end: 'CURRENT ROW', exclude: 'CURRENT ROW' } })
        .as('before'),
    )
      .orderBy(Item.n)
      .tuples();
    expect(ranked).toEqual([
      ['a', null],
      ['b', 1],
    ]);
    expect(await db.execute(sql`SELECT ${sql.join([sql`1`, sql`2`], ' + ')} AS s`)).toMatchObject({ rows: [{ s: 3 }] });
    expect((await db.execute(sql`SELECT ${sql.join([1, 2], sql` AS v UNION ALL SELECT `)}`)).rows.length).toBe(2);
    await expectUntouched();
  });
});
