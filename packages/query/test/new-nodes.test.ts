import { describe, expect, it } from 'vitest';
import { collate, column, compile, EMPTY_SELECT, extract, fn, groupingSet, sql, table, updateSelect, value } from '../src/index.js';

describe('extract, grouping sets, collate and named fragments', () => {
  it('compile to PostgreSQL', () => {
    expect(compile(extract('year', column('at', 't'))).text).toBe('EXTRACT(YEAR FROM "t"."at")');
    expect(compile(collate(column('name'), 'C')).text).toBe('"name" COLLATE "C"');
    expect(compile(collate(column('name'), 'a"b')).text).toBe('"name" COLLATE "a""b"');
    expect(compile(groupingSet('ROLLUP', [[column('a')], [column('b'), column('c')]])).text).toBe('ROLLUP ("a", ("b", "c"))');
    expect(compile(groupingSet('GROUPING SETS', [[column('a')], []])).text).toBe('GROUPING SETS (("a"), ())');
    expect(compile(sql`1 + ${2}`.as('n').toNode())).toEqual({ text: '1 + $1 AS "n"', values: [2] });
  });

  it('share the text of a parameterized expression inside ROLLUP with the select list', () => {
    const trunc = () => fn('date_trunc', [value('month'), column('at')]);
    const node = updateSelect(EMPTY_SELECT, { columns: [trunc()], from: [table('t')], groupBy: [groupingSet('CUBE', [[trunc()]])] });
    expect(compile(node)).toEqual({ text: 'SELECT date_trunc($1, "at") FROM "t" GROUP BY CUBE (date_trunc($1, "at"))', values: ['month'] });
  });

  it('refuse words outside their lists, naming the option', () => {
    expect(() => extract('year; --' as 'year', column('at'))).toThrow(/extract field: "year; --" is not one of/);
    expect(() => groupingSet('PIVOT' as 'CUBE', [[column('a')]])).toThrow(/grouping set: "PIVOT" is not one of "ROLLUP", "CUBE", "GROUPING SETS"/);
    expect(() => collate(column('a'), '')).toThrow(/collate\(\): the collation must be a name/);
  });
});
