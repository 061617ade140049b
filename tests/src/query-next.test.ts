import { AutoField, Case, CharField, excluded, fn, IntegerField, model } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();
let db: PostgresqlDatabase;

function models(target: PostgresqlDatabase) {
  class Score extends model(
    'scores',
    { id: AutoField(), who: CharField({ maxLength: 40, unique: true }), points: IntegerField({ default: 0 }) },
    { database: target },
  ) {}
  return { Score };
}
let Score: ReturnType<typeof models>['Score'];

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  ({ Score } = models(db));
  await db.createTables([Score]);
  await Score.insertMany([
    { who: 'Ann_50%', points: 5 },
    { who: 'bob', points: 12 },
    { who: 'C\\arl', points: 0 },
  ]);
});
afterAll(() => db.close());

describe('excluded() is a full expression', () => {
  it('takes operators and functions in an upsert', async () => {
    await Score.insertMany([{ who: 'bob', points: 3 }]).onConflict({
      target: [Score.who],
      update: { points: excluded(Score.points).add(Score.points).mul(2) },
      where: excluded(Score.points).gt(0),
    });
    expect(await Score.select(Score.points).where(Score.who.eq('bob')).scalar()).toBe(30);
    await Score.insertMany([{ who: 'bob', points: 0 }]).onConflict({ target: [Score.who], update: { points: 1 }, where: excluded(Score.points).gt(0) });
    expect(await Score.select(Score.points).where(Score.who.eq('bob')).scalar()).toBe(30);
  });
});

describe('Case()', () => {
  it('searched and simple forms', async () => {
    const heat = Case([[Score.points.gte(10), 'hot']], 'cold').as('heat');
    expect(await Score.select(Score.who, heat).orderBy(Score.who).tuples()).toEqual([
      ['Ann_50%', 'cold'],
      ['C\\arl', 'cold'],
      ['bob', 'hot'],
    ]);
    const named = Case(Score.points, [[0, 'none']]).as('n');
    expect((await Score.select(named).orderBy(Score.who).tuples()).map((r) => r[0])).toEqual([null, 'none', null]);
    expect(() => Case([])).toThrow(/at least one/);
  });

  it('groups by a Case with parameters', async () => {
    const bucket = () => Case([[Score.points.gte(10), 'hot']], 'cold');
    const rows = await Score.select(bucket().as('b'), fn.count(Score.id)).groupBy(bucket()).orderBy(bucket()).tuples();
    expect(rows).toEqual([
      ['cold', 2],
      ['hot', 1],
    ]);
  });
});

describe('case-insensitive matching escapes wildcards', () => {
  it('icontains, istartsWith, iendsWith', async () => {
    const who = async (c: ReturnType<typeof Score.who.icontains>) => (await Score.select(Score.who).where(c).orderBy(Score.who).tuples()).map((r) => r[0]);
    expect(await who(Score.who.icontains('N_5'))).toEqual(['Ann_50%']);
    expect(await who(Score.who.icontains('_'))).toEqual(['Ann_50%']);
    expect(await who(Score.who.icontains('%'))).toEqual(['Ann_50%']);
    expect(await who(Score.who.istartsWith('ANN'))).toEqual(['Ann_50%']);
    expect(await who(Score.who.istartsWith('a_'))).toEqual([]);
    expect(await who(Score.who.iendsWith('0%'))).toEqual(['Ann_50%']);
    expect(await who(Score.who.icontains('c\\A'))).toEqual(['C\\arl']);
  });
});
