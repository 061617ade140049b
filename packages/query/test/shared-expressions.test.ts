import { describe, expect, it } from 'vitest';
import { alias, binary, column, compile, fn, orderBy, selectStatement, table, value } from '../src/index.js';

const month = () => fn('date_trunc', [value('month'), column('at', 'x')]);

describe('one expression, one SQL text', () => {
  it('an equal parameterized expression in SELECT, GROUP BY, HAVING and ORDER BY gets the same placeholders', () => {
    const q = selectStatement({
      columns: [alias(month(), 'm'), fn('count', [column('id', 'x')])],
      from: [table('x')],
      where: binary(column('n', 'x'), '>', value(1)),
      groupBy: [month()],
      having: binary(month(), '>', value('2020-01-01')),
      orderBy: [orderBy(month(), 'DESC')],
    });
    expect(compile(q)).toEqual({
      text: 'SELECT date_trunc($1, "x"."at") AS "m", count("x"."id") FROM "x" WHERE "x"."n" > $2 GROUP BY date_trunc($1, "x"."at") HAVING date_trunc($1, "x"."at") > $3 ORDER BY date_trunc($1, "x"."at") DESC',
      values: ['month', 1, '2020-01-01'],
    });
  });

  it('DISTINCT ON and a nested occurrence share too; WHERE and bare values keep their own parameters', () => {
    const q = selectStatement({
      distinctOn: [month()],
      columns: [fn('to_char', [month(), value('YYYY')]), value('month')],
      from: [table('x')],
      where: binary(month(), '=', value('2020-01-01')),
      orderBy: [orderBy(month())],
    });
    expect(compile(q)).toEqual({
      text: 'SELECT DISTINCT ON (date_trunc($1, "x"."at")) to_char(date_trunc($1, "x"."at"), $2), $3 FROM "x" WHERE date_trunc($4, "x"."at") = $5 ORDER BY date_trunc($1, "x"."at")',
      values: ['month', 'YYYY', 'month', 'month', '2020-01-01'],
    });
  });

  it('equal values in different expressions stay different parameters', () => {
    const q = selectStatement({
      columns: [binary(column('j'), '=', value('"a"')), binary(column('t'), '=', value('"a"'))],
      from: [table('x')],
      groupBy: [column('j'), column('t')],
    });
    expect(compile(q).text).toBe('SELECT "j" = $1, "t" = $2 FROM "x" GROUP BY "j", "t"');
  });

  it('a subquery is its own scope', () => {
    const inner = selectStatement({ columns: [month()], from: [table('x')] });
    const q = selectStatement({ columns: [month(), inner], from: [table('x')], groupBy: [month()] });
    expect(compile(q).text).toBe('SELECT date_trunc($1, "x"."at"), (SELECT date_trunc($2, "x"."at") FROM "x") FROM "x" GROUP BY date_trunc($1, "x"."at")');
  });
});
