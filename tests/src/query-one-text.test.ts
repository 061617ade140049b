import { AutoField, DateTimeField, Expression, type FunctionExpression, fn, JSONField, model, TextField } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { binary, value } from '@pewit/query';
import { useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();
let db: PostgresqlDatabase;

function models(target: PostgresqlDatabase) {
  class Event extends model(
    'events',
    { id: AutoField(), at: DateTimeField(), label: TextField(), data: JSONField<unknown>({ null: true }) },
    { database: target },
  ) {}
  return { Event };
}
let Event: ReturnType<typeof models>['Event'];
const dateTrunc = fn.date_trunc as (...args: unknown[]) => FunctionExpression<Date>;

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  ({ Event } = models(db));
  await db.createTables([Event]);
  await Event.insertMany([
    { at: new Date('2024-01-05T00:00:00Z'), label: '"a"', data: 'a' },
    { at: new Date('2024-01-20T00:00:00Z'), label: 'b', data: 'b' },
    { at: new Date('2024-02-03T00:00:00Z'), label: '"a"', data: 'a' },
  ]);
});
afterAll(() => db.close());

describe('one expression, one SQL text, on the server', () => {
  it('groups by a parameterized expression written again in GROUP BY, HAVING and ORDER BY', async () => {
    const rows = await Event.select(dateTrunc('month', Event.at).as('month'), fn.count(Event.id).as('n'))
      .groupBy(dateTrunc('month', Event.at))
      .having(dateTrunc('month', Event.at).gte(new Date('2023-12-01T00:00:00Z')))
      .orderBy(dateTrunc('month', Event.at))
      .tuples();
    expect(rows.map((r) => r[1])).toEqual([2, 1]);
  });

  it('DISTINCT with ORDER BY on such an expression', async () => {
    const rows = await Event.select(dateTrunc('month', Event.at)).distinct().orderBy(dateTrunc('month', Event.at).desc()).tuples();
    expect(rows).toHaveLength(2);
  });

  it('orderBy(alias) of an aliased expression orders by its output name', async () => {
    const n = fn.count(Event.id).as('n');
    const rows = await Event.select(Event.label, n).groupBy(Event.label).orderBy(n, Event.label).tuples();
    expect(rows).toEqual([
      ['b', 1],
      ['"a"', 2],
    ]);
  });

  it('the same string compared with a jsonb and a text column stays two parameters of two types', async () => {
    const s = '"a"';
    const rows = await Event.select(
      Event.label.eq(s).as('t'),
      new Expression<boolean>(binary(Event.data.toNode(), '=', value(s))).as('j'),
      fn.count(Event.id).as('n'),
    )
      .groupBy(Event.label, Event.data)
      .orderBy(Event.label)
      .tuples();
    expect(rows).toEqual([
      [true, true, 2],
      [false, false, 1],
    ]);
  });
});

describe('a CTE body is emitted once', () => {
  it('also when a subquery selects from the CTE the outer query has', async () => {
    const early = Event.select(Event.id, Event.label)
      .where(Event.at.lt(new Date('2024-02-01T00:00:00Z')))
      .cte('early');
    const q = early.select(early.c.label).where(early.c.id.in(early.select(early.c.id).where(early.c.label.eq('b'))));
    const { text, values } = q.sql();
    expect(text.match(/"early"\("id", "label"\) AS/g)).toHaveLength(1);
    expect(values).toHaveLength(2);
    expect(await q.tuples()).toEqual([['b']]);
  });

  it('the same CTE added twice is written once; two different ones of one name are refused', async () => {
    const a = Event.select(Event.id).cte('a');
    const twice = Event.select(Event.id)
      .with(a)
      .with(a)
      .where(Event.id.in(a.select(a.c.id)));
    expect(await twice.count()).toBe(3);
    const other = Event.select(Event.id).where(Event.id.gt(1)).cte('a');
    expect(() => Event.select().with(a, other).sql()).toThrow(/two different CTEs are named "a"/);
  });
});
