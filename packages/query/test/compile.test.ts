import { describe, expect, it } from 'vitest';
import {
  alias,
  binary,
  cast,
  column,
  compile,
  compound,
  EMPTY_SELECT,
  fn,
  join,
  list,
  logical,
  orderBy,
  raw,
  sql,
  table,
  unary,
  updateSelect,
  value,
  windowSpec,
} from '../src/index.js';

describe('compile: identifiers and parameters', () => {
  it('quotes identifiers and doubles embedded quotes', () => {
    const q = updateSelect(EMPTY_SELECT, { columns: [column('a"b', 'user')], from: [table('user', { schema: 'my schema' })] });
    expect(compile(q)).toEqual({ text: 'SELECT "user"."a""b" FROM "my schema"."user"', values: [] });
  });

  it('sends every value as a parameter, never as text', () => {
    const hostile = "'; DROP TABLE users; -- $1 \\";
    const q = updateSelect(EMPTY_SELECT, { from: [table('t')], where: binary(column('name'), '=', value(hostile)) });
    expect(compile(q)).toEqual({ text: 'SELECT * FROM "t" WHERE "name" = $1', values: [hostile] });
  });
});

describe('compile: SELECT', () => {
  it('renders every clause in order', () => {
    const q = updateSelect(EMPTY_SELECT, {
      distinctOn: [column('a')],
      columns: [column('a', 't'), alias(fn('count', [column('id', 't')]), 'n')],
      from: [table('things', { alias: 't' })],
      joins: [join('left', table('other', { alias: 'o' }), binary(column('id', 'o'), '=', column('other_id', 't')))],
      where: logical('AND', [binary(column('a', 't'), '>', value(1)), unary('IS NULL', column('b', 't'), true)]),
      groupBy: [column('a', 't')],
      having: binary(fn('count', [column('id', 't')]), '>=', value(2)),
      orderBy: [orderBy(column('a', 't'), 'DESC', 'LAST')],
      limit: value(10),
      offset: value(20),
      lock: { strength: 'UPDATE', of: ['t'], wait: 'SKIP LOCKED' },
    });
    expect(compile(q).text).toBe(
      'SELECT DISTINCT ON ("a") "t"."a", count("t"."id") AS "n" FROM "things" AS "t" ' +
        'LEFT OUTER JOIN "other" AS "o" ON "o"."id" = "t"."other_id" ' +
        'WHERE ("t"."a" > $1) AND "t"."b" IS NULL GROUP BY "t"."a" HAVING count("t"."id") >= $2 ' +
        'ORDER BY "t"."a" DESC NULLS LAST LIMIT $3 OFFSET $4 FOR UPDATE OF "t" SKIP LOCKED',
    );
    expect(compile(q).values).toEqual([1, 2, 10, 20]);
  });

  it('parenthesises subqueries used as expressions and FROM items', () => {
    const inner = updateSelect(EMPTY_SELECT, { columns: [column('id')], from: [table('u')] });
    const q = updateSelect(EMPTY_SELECT, {
      from: [alias(inner, 'sub')],
      where: binary(column('id'), 'IN', inner),
    });
    expect(compile(q).text).toBe('SELECT * FROM (SELECT "id" FROM "u") AS "sub" WHERE "id" IN (SELECT "id" FROM "u")');
  });

  it('renders lists, casts, window functions and set operations', () => {
    const w = fn('rank', [], {
      over: windowSpec([column('g')], [orderBy(column('v'), 'DESC')], { type: 'ROWS', start: 'UNBOUNDED PRECEDING', end: 'CURRENT ROW' }),
    });
    const left = updateSelect(EMPTY_SELECT, {
      columns: [w, cast(column('v'), 'text')],
      from: [table('t')],
      where: binary(column('v'), 'IN', list([value(1), value(2)])),
    });
    const right = updateSelect(EMPTY_SELECT, { columns: [value(0), value('x')] });
    expect(compile(compound(left, 'UNION ALL', right))).toEqual({
      text: '(SELECT rank() OVER (PARTITION BY "g" ORDER BY "v" DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), CAST("v" AS text) FROM "t" WHERE "v" IN ($1, $2)) UNION ALL (SELECT $3, $4)',
      values: [1, 2, 0, 'x'],
    });
  });

  it('refuses function names and casts that are not SQL names', () => {
    expect(() => fn('count(*); drop', [])).toThrow(/not a valid SQL function name/);
    expect(() => cast(column('a'), 'int); drop table x; --')).toThrow(/not a PostgreSQL type name/);
  });
});

describe('compile: writes', () => {
  it('renders INSERT with ON CONFLICT and RETURNING', () => {
    const q = compile({
      kind: 'insert',
      table: table('users'),
      columns: ['name', 'age'],
      values: [
        [value('a'), value(1)],
        [value('b'), value(2)],
      ],
      onConflict: { target: [column('name')], action: 'update', set: [['age', column('age', 'excluded')]] },
      returning: [column('id')],
    });
    expect(q.text).toBe(
      'INSERT INTO "users" ("name", "age") VALUES ($1, $2), ($3, $4) ON CONFLICT ("name") DO UPDATE SET "age" = "excluded"."age" RETURNING "id"',
    );
  });

  it('renders UPDATE and DELETE', () => {
    expect(
      compile({
        kind: 'update',
        table: table('t'),
        set: [['n', binary(column('n'), '+', value(1))]],
        from: [],
        where: binary(column('id'), '=', value(3)),
        returning: [],
      }).text,
    ).toBe('UPDATE "t" SET "n" = "n" + $1 WHERE "id" = $2');
    expect(compile({ kind: 'delete', table: table('t'), using: [], returning: [] }).text).toBe('DELETE FROM "t"');
  });
});

describe('sql template tag', () => {
  it('keeps a raw fragment whole when it is ANDed, ORed or negated, so its own OR cannot leak', () => {
    const fragment = sql`a > ${1} OR a < ${0}`;
    const q = updateSelect(EMPTY_SELECT, { from: [table('t')], where: logical('AND', [fragment, binary(column('b'), '=', value(2))]) });
    expect(compile(q).text).toBe('SELECT * FROM "t" WHERE (a > $1 OR a < $2) AND ("b" = $3)');
    expect(compile(unary('NOT', fragment)).text).toBe('NOT (a > $1 OR a < $2)');
    // Spliced into another fragment it stays as written, e.g. a list.
    expect(compile(sql`SELECT ${sql.join([1, 2])}`).text).toBe('SELECT $1, $2');
  });

  it('turns interpolations into parameters and nodes', () => {
    const frag = sql`lower(${column('name')}) = ${'ALICE'} AND ${sql.identifier('order')} > ${3}`;
    expect(compile(frag)).toEqual({ text: 'lower("name") = $1 AND "order" > $2', values: ['ALICE', 3] });
    expect(compile(raw(['SELECT 1']))).toEqual({ text: 'SELECT 1', values: [] });
    expect(compile(sql`SELECT ${sql.join([1, 2, 3])}`)).toEqual({ text: 'SELECT $1, $2, $3', values: [1, 2, 3] });
  });
});
