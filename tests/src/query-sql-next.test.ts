import {
  AutoField,
  cte,
  cube,
  DateTimeField,
  DoesNotExist,
  extract,
  ForeignKeyField,
  fn,
  groupingSets,
  IntegerField,
  interval,
  model,
  rollup,
  sql,
  TextField,
  Value,
} from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// The SQL users reach for after the basics: each feature runs on a real server and its SQL is checked.

const database = useTestDatabase();
let db: PostgresqlDatabase;

function define(d: PostgresqlDatabase) {
  class Owner extends model('nx_owners', { id: AutoField(), nick: TextField(), bonus: IntegerField({ default: 0 }) }, { database: d }) {}
  class Sale extends model(
    'nx_sales',
    {
      id: AutoField(),
      owner: ForeignKeyField(() => Owner),
      region: TextField(),
      city: TextField(),
      amount: IntegerField(),
      at: DateTimeField(),
    },
    { database: d },
  ) {}
  class Archive extends model('nx_archive', { id: IntegerField({ primaryKey: true }), city: TextField(), amount: IntegerField() }, { database: d }) {}
  return { Owner, Sale, Archive };
}
let M: ReturnType<typeof define>;

async function seed() {
  await db.execute(sql`TRUNCATE nx_archive, nx_sales, nx_owners RESTART IDENTITY`);
  await M.Owner.insertMany([{ nick: 'ann' }, { nick: 'bob' }]);
  await M.Sale.insertMany([
    { owner: 1, region: 'north', city: 'oslo', amount: 10, at: new Date('2023-05-01T10:00:00Z') },
    { owner: 1, region: 'north', city: 'bergen', amount: 20, at: new Date('2024-01-15T10:00:00Z') },
    { owner: 2, region: 'south', city: 'rome', amount: 5, at: new Date('2024-03-01T10:00:00Z') },
  ]);
}

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  M = define(db);
  await db.createTables([M.Owner, M.Sale, M.Archive]);
});
beforeEach(seed);
afterAll(() => db.close());

describe('UPDATE … FROM and DELETE … USING', () => {
  it('update().from() takes values from a subquery', async () => {
    const { Owner, Sale } = M;
    const totals = Sale.select(Sale.owner, fn.sum(Sale.amount).as('total')).groupBy(Sale.owner).subquery('totals');
    const q = Owner.update({ bonus: totals.c.total }).from(totals).where(Owner.id.eq(totals.c.owner));
    expect(q.sql().text).toBe(
      'UPDATE "nx_owners" SET "bonus" = "totals"."total" FROM (SELECT "nx_sales"."owner_id", sum("nx_sales"."amount") AS "total" FROM "nx_sales" GROUP BY "nx_sales"."owner_id") AS "totals"("owner", "total") WHERE "nx_owners"."id" = "totals"."owner"',
    );
    expect(await q).toBe(2);
    expect(await Owner.select(Owner.nick, Owner.bonus).orderBy(Owner.id).tuples()).toEqual([
      ['ann', 30],
      ['bob', 5],
    ]);
  });

  it('update().from(Model) joins another table in WHERE; returning() reads the rows', async () => {
    const { Owner, Sale } = M;
    const rows = await Sale.update({ amount: Sale.amount.add(1) })
      .from(Owner)
      .where(Sale.owner.eq(Owner.id), Owner.nick.eq('bob'))
      .returning(Sale.id, Sale.amount);
    expect(rows.map((r) => [r.id, r.amount])).toEqual([[3, 6]]);
  });

  it('delete().using() picks rows by another table', async () => {
    const { Owner, Sale } = M;
    const q = Sale.delete().using(Owner).where(Sale.owner.eq(Owner.id), Owner.nick.eq('ann'));
    expect(q.sql().text).toBe('DELETE FROM "nx_sales" USING "nx_owners" WHERE ("nx_sales"."owner_id" = "nx_owners"."id") AND ("nx_owners"."nick" = $1)');
    expect(await q).toBe(2);
    expect(await Sale.select().count()).toBe(1);
  });

  it('refuses a FROM item that is not a table', () => {
    expect(() => M.Sale.delete().using('nx_owners' as never)).toThrow(/Sale\.delete\(\)\.using\(\): pass a model, a model alias, a subquery or a CTE/);
  });
});

describe('.with() on writes and data-modifying CTEs', () => {
  it('update, delete and insert take CTEs', async () => {
    const { Owner, Sale } = M;
    const big = Sale.select(Sale.owner).where(Sale.amount.gte(10)).cte('big');
    const upd = Owner.update({ bonus: 1 })
      .with(big)
      .where(Owner.id.in(big.select(big.c.owner)));
    expect(upd.sql().text).toMatch(
      /^WITH "big"\("owner"\) AS \(SELECT .*\) UPDATE "nx_owners" SET "bonus" = \$2 WHERE "nx_owners"."id" IN \(SELECT "big"."owner" FROM "big"\)$/,
    );
    expect(await upd).toBe(1);
    const del = Sale.delete()
      .with(big)
      .where(Sale.owner.in(big.select(big.c.owner)));
    expect(del.sql().text).toMatch(/^WITH "big"\("owner"\) AS \(.*\) DELETE FROM "nx_sales" WHERE/);
    expect(await del).toBe(2);
    const names = cte('names', Owner.select(Owner.nick).where(Owner.bonus.eq(1)));
    const ins = Owner.insertMany([{ nick: 'cyd' }]).with(names);
    expect(ins.sql().text).toMatch(/^WITH "names"\("nick"\) AS \(SELECT .*\) INSERT INTO "nx_owners"/);
    expect(await ins).toBe(1);
  });

  it('WITH moved AS (DELETE … RETURNING …) INSERT … SELECT … FROM moved', async () => {
    const { Sale, Archive } = M;
    const moved = Sale.delete()
      .where(Sale.region.eq('north'))
      .returning(Sale.id, Sale.city, Sale.amount)
      .cte<{ id: number; city: string; amount: number }>('moved');
    const q = Archive.insertFrom(moved.select(moved.c.id, moved.c.city, moved.c.amount), ['id', 'city', 'amount']);
    expect(q.sql().text).toBe(
      'WITH "moved"("id", "city", "amount") AS (DELETE FROM "nx_sales" WHERE "nx_sales"."region" = $1 RETURNING "nx_sales"."id", "nx_sales"."city", "nx_sales"."amount") ' +
        'INSERT INTO "nx_archive" ("id", "city", "amount") SELECT "moved"."id", "moved"."city", "moved"."amount" FROM "moved"',
    );
    const log = recordQueries(db);
    expect(await q).toBe(2);
    log.stop();
    expect(log.count).toBe(1);
    expect(await Archive.select(Archive.city).orderBy(Archive.id).tuples()).toEqual([['oslo'], ['bergen']]);
    expect(await Sale.select().count()).toBe(1);
  });

  it('a data-modifying CTE selected from directly', async () => {
    const { Owner } = M;
    const raised = Owner.update({ bonus: Owner.bonus.add(7) })
      .returning(Owner.nick, Owner.bonus)
      .cte<{ nick: string; bonus: number }>('raised');
    expect(await raised.select(raised.c.nick).where(raised.c.bonus.eq(7)).orderBy(raised.c.nick).tuples()).toEqual([['ann'], ['bob']]);
  });
});

describe('extract and interval arithmetic', () => {
  it('extract(field, expr) groups by year; the field is a closed list', async () => {
    const { Sale } = M;
    const year = extract('year', Sale.at).cast<number>('integer');
    const q = Sale.select(year.as('year'), fn.sum(Sale.amount).as('total')).groupBy(year).orderBy(year);
    expect(q.sql().text).toBe(
      'SELECT CAST(EXTRACT(YEAR FROM "nx_sales"."at") AS integer) AS "year", sum("nx_sales"."amount") AS "total" FROM "nx_sales" GROUP BY CAST(EXTRACT(YEAR FROM "nx_sales"."at") AS integer) ORDER BY CAST(EXTRACT(YEAR FROM "nx_sales"."at") AS integer) ASC',
    );
    expect(await q.dicts()).toEqual([
      { year: 2023, total: 10 },
      { year: 2024, total: 25 },
    ]);
    expect(await Sale.select(extract('month', Sale.at)).where(Sale.id.eq(1)).scalar()).toBe('5');
    expect(() => extract('year FROM now()); DROP TABLE nx_sales; --' as 'year', Sale.at)).toThrow(/extract field: .* is not one of "century"/);
  });

  it('a timestamp plus or minus an interval', async () => {
    const { Sale } = M;
    const later = await Sale.select(Sale.at.add(interval('1 day 2 hours')).as('later'))
      .where(Sale.id.eq(1))
      .scalar();
    expect(later).toEqual(new Date('2023-05-02T12:00:00Z'));
    const q = Sale.select(Sale.id).where(Sale.at.gt(Value(new Date('2024-03-02T10:00:00Z')).sub(interval('2 days'))));
    expect(q.sql().text).toContain('> ($1::timestamptz - $2::interval)');
    expect(await q.tuples()).toEqual([[3]]);
    await expect(Sale.select(Sale.at.add(interval('not an interval'))).scalar()).rejects.toThrow(/invalid input syntax for type interval/);
    expect(() => interval('')).toThrow(/interval\(\): pass the interval as text/);
  });
});

describe('ROLLUP, CUBE and GROUPING SETS', () => {
  it('rollup gives subtotals and a grand total', async () => {
    const { Sale } = M;
    const q = Sale.select(Sale.region, Sale.city, fn.sum(Sale.amount).as('total'))
      .groupBy(rollup(Sale.region, Sale.city))
      .orderBy(Sale.region.asc('last'), Sale.city.asc('last'));
    expect(q.sql().text).toContain('GROUP BY ROLLUP ("nx_sales"."region", "nx_sales"."city")');
    expect(await q.tuples()).toEqual([
      ['north', 'bergen', 20],
      ['north', 'oslo', 10],
      ['north', null, 30],
      ['south', 'rome', 5],
      ['south', null, 5],
      [null, null, 35],
    ]);
  });

  it('cube and grouping sets (with the grand total as [])', async () => {
    const { Sale } = M;
    const byCube = await Sale.select(fn.count()).groupBy(cube(Sale.region, Sale.city)).tuples();
    expect(byCube).toHaveLength(3 + 2 + 3 + 1);
    const sets = Sale.select(Sale.region, fn.sum(Sale.amount).as('total'), fn.grouping(Sale.region).as('g'))
      .groupBy(groupingSets([Sale.region], []))
      .orderBy(Sale.region.asc('last'));
    expect(sets.sql().text).toContain('GROUP BY GROUPING SETS (("nx_sales"."region"), ())');
    expect(await sets.tuples()).toEqual([
      ['north', 30, 0],
      ['south', 5, 0],
      [null, 35, 1],
    ]);
  });

  it('a parameterized expression inside ROLLUP keeps one text with the select list', async () => {
    const { Sale } = M;
    const month = () => fn.date_trunc('year', Sale.at);
    const rows = await Sale.select(month().as('y'), fn.sum(Sale.amount)).groupBy(rollup(month())).orderBy(month().asc('last')).tuples();
    expect(rows.map((r) => r[1])).toEqual([10, 25, 35]);
  });

  it('refuses an empty rollup and () outside GROUPING SETS', () => {
    expect(() => rollup()).toThrow(/ROLLUP: pass at least one grouping element/);
    expect(() => cube([])).toThrow(/CUBE: an empty grouping element \(\) is only allowed in GROUPING SETS/);
  });
});

describe('constant columns and named sql fragments', () => {
  it('Value(x).as(name) and sql`…`.as(name) are keyed and typed in dicts', async () => {
    const { Owner } = M;
    const q = Owner.select(Owner.nick, Value(1).as('one'), Value('x').as('tag'), sql`2 + 3`.as<'five', number>('five')).where(Owner.id.eq(1));
    expect(q.sql().text).toBe(
      'SELECT "nx_owners"."nick", $1::integer AS "one", $2::text AS "tag", 2 + 3 AS "five" FROM "nx_owners" WHERE "nx_owners"."id" = $3',
    );
    const [row] = await q.dicts();
    expect(row).toEqual({ nick: 'ann', one: 1, tag: 'x', five: 5 });
    const five: number | undefined = row?.five;
    expect(five).toBe(5);
    expect(() => Value(null)).toThrow(/Value\(\): cannot tell the SQL type of null; pass it/);
    expect(await Owner.select(Value(null, 'integer').as('n')).limit(1).scalar()).toBeNull();
  });
});

describe('a model alias as the FROM of a correlated subquery', () => {
  it('the best sale of each owner', async () => {
    const { Sale } = M;
    const S2 = Sale.alias('s2');
    const best = S2.select(fn.max(S2.amount)).where(S2.owner.eq(Sale.owner));
    const q = Sale.select(Sale.id).where(Sale.amount.eq(best)).orderBy(Sale.id);
    expect(q.sql().text).toBe(
      'SELECT "nx_sales"."id" FROM "nx_sales" WHERE "nx_sales"."amount" = (SELECT max("s2"."amount") FROM "nx_sales" AS "s2" WHERE "s2"."owner_id" = "nx_sales"."owner_id") ORDER BY "nx_sales"."id" ASC',
    );
    expect(await q.tuples()).toEqual([[2], [3]]);
    expect(await S2.select().where(S2.id.eq(3)).dicts()).toEqual([
      { id: 3, owner: 2, region: 'south', city: 'rome', amount: 5, at: new Date('2024-03-01T10:00:00Z') },
    ]);
  });
});

describe('first() and get() on compound queries', () => {
  it('apply LIMIT 1 to the whole set operation', async () => {
    const { Owner } = M;
    const both = Owner.select(Owner.nick)
      .where(Owner.id.eq(2))
      .union(Owner.select(Owner.nick).where(Owner.id.eq(1)))
      .orderBy(Owner.nick);
    expect((await both.first())?.nick).toBe('ann');
    expect(both.firstSync()?.nick).toBe('ann');
    expect((await both.dicts().get()).nick).toBe('ann');
    const none = Owner.select(Owner.nick)
      .where(Owner.id.eq(9))
      .union(Owner.select(Owner.nick).where(Owner.id.eq(8)));
    expect(await none.first()).toBeNull();
    await expect(none.get()).rejects.toBeInstanceOf(DoesNotExist);
    await expect(none.get()).rejects.toBeInstanceOf(Owner.DoesNotExist);
    expect(() => none.getSync()).toThrow(/Owner matching the query does not exist/);
  });
});

describe('collations', () => {
  it('collate(name) sorts by another collation; the name is a quoted identifier', async () => {
    const { Owner } = M;
    await Owner.insertMany([{ nick: 'Zed' }, { nick: 'abe' }]);
    const q = Owner.select(Owner.nick).orderBy(Owner.nick.collate('C'));
    expect(q.sql().text).toBe('SELECT "nx_owners"."nick" FROM "nx_owners" ORDER BY "nx_owners"."nick" COLLATE "C" ASC');
    expect((await q.tuples()).map((r) => r[0])).toEqual(['Zed', 'abe', 'ann', 'bob']);
    await expect(Owner.select(Owner.nick.collate('no such collation')).tuples()).rejects.toThrow(/collation "no such collation" for encoding/);
  });
});
