import { cte, exists, fn, not, or, recursiveCte, sql } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryModels } from './query-models.js';

const database = useTestDatabase();
let db: PostgresqlDatabase;
let M: ReturnType<typeof queryModels>;

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  M = queryModels(db);
  const { User, Tweet, Category } = M;
  await db.createTables([User, Tweet, Category, M.Archive]);
  const [alice, bob, carol] = [
    await User.create({ username: 'alice', age: 30, isAdmin: true }),
    await User.create({ username: 'bob', age: 20 }),
    await User.create({ username: 'carol_50%', age: null }),
  ];
  await Tweet.insertMany([
    { user: alice, content: 'a1', likes: 5 },
    { user: alice, content: 'a2', likes: 10 },
    { user: alice, content: 'a3', likes: 1 },
    { user: bob, content: 'b1', likes: 7 },
  ]);
  void carol;
  const root = await Category.create({ title: 'root', parent: null });
  const child = await Category.create({ title: 'child', parent: root });
  await Category.create({ title: 'grandchild', parent: child });
  await Category.create({ title: 'other root', parent: null });
});
afterAll(() => db.close());

describe('SELECT constructs on the server', () => {
  it('conditions, or/not, between, in (list, empty, subquery) return the expected rows', async () => {
    const { User, Tweet } = M;
    const names = async (q: { dicts(): PromiseLike<{ username: string }[]> }) => (await q.dicts()).map((r) => r.username).sort();
    expect(await names(User.select(User.username).where(or(User.age.gte(30), not(User.isAdmin)), User.age.isNotNull()))).toEqual(['alice', 'bob']);
    expect(await names(User.select(User.username).where(User.age.between(20, 25)))).toEqual(['bob']);
    expect(await names(User.select(User.username).where(User.id.in([])))).toEqual([]);
    expect(await names(User.select(User.username).where(User.id.notIn([])))).toEqual(['alice', 'bob', 'carol_50%']);
    expect(await names(User.select(User.username).where(User.id.in(Tweet.select(Tweet.user).where(Tweet.likes.gte(7)))))).toEqual(['alice', 'bob']);
    expect(await names(User.select(User.username).where(User.id.notIn(Tweet.select(Tweet.user))))).toEqual(['carol_50%']);
  });

  it('startsWith/endsWith/contains match wildcards literally', async () => {
    const { User } = M;
    expect((await User.select(User.username).where(User.username.contains('_50%')).dicts()).map((r) => r.username)).toEqual(['carol_50%']);
    expect(await User.select().where(User.username.contains('%')).count()).toBe(1);
    expect(await User.select().where(User.username.startsWith('c_')).count()).toBe(0);
    expect(await User.select().where(User.username.endsWith('0%')).count()).toBe(1);
    expect(await User.select().where(User.username.endsWith('_')).count()).toBe(0);
  });

  it('contains/startsWith/endsWith are case-sensitive (LIKE); icontains/istartsWith/iendsWith ignore case', async () => {
    const { User } = M;
    expect(await User.select().where(User.username.contains('LIC')).count()).toBe(0);
    expect(await User.select().where(User.username.startsWith('Ali')).count()).toBe(0);
    expect(await User.select().where(User.username.endsWith('OB')).count()).toBe(0);
    expect(await User.select().where(User.username.contains('lic')).count()).toBe(1);
    expect(await User.select().where(User.username.icontains('LIC')).count()).toBe(1);
    expect(await User.select().where(User.username.istartsWith('Ali')).count()).toBe(1);
    expect(await User.select().where(User.username.iendsWith('OB')).count()).toBe(1);
  });

  it('count() counts the rows the query would return: with limit, offset, distinct and groupBy', async () => {
    const { User, Tweet } = M;
    const alices = Tweet.select().join(User).where(User.username.eq('alice'));
    expect(await alices.count()).toBe(3);
    expect(await alices.limit(2).count()).toBe(2);
    expect(await alices.offset(2).count()).toBe(1);
    expect(await Tweet.select(Tweet.user).distinct().count()).toBe(2);
    expect(await Tweet.select(Tweet.user, fn.count().as('n')).groupBy(Tweet.user).count()).toBe(2);
    expect(await Tweet.select().count()).toBe(4);
  });

  it('sums: of integer columns a number, of bigint and numeric values an exact string; counts are numbers', async () => {
    const { Tweet } = M;
    expect(await Tweet.select(fn.sum(Tweet.likes)).scalar()).toBe(23);
    expect(await Tweet.select(fn.sum(Tweet.likes.cast<bigint>('bigint'))).scalar()).toBe('23');
    expect(await Tweet.select(fn.sum(Tweet.likes.cast<string>('numeric(10,2)'))).scalar()).toBe('23.00');
    expect(await Tweet.select(fn.count()).scalar()).toBe(4);
  });

  it('joins, groups, orders with nulls last, paginates and counts a grouped query right', async () => {
    const { User, Tweet } = M;
    const per = User.select(User.username, fn.count(Tweet.id).as('n'), fn.sum(Tweet.likes).as('likes'))
      .join(Tweet, { type: 'left' })
      .groupBy(User.username)
      .orderBy(fn.sum(Tweet.likes).desc('last'), User.username);
    expect(await per.dicts()).toEqual([
      { username: 'alice', n: 3, likes: 16 },
      { username: 'bob', n: 1, likes: 7 },
      { username: 'carol_50%', n: 0, likes: null },
    ]);
    expect(await per.count()).toBe(3);
    expect(await per.paginate(2, 2).tuples()).toEqual([['carol_50%', 0, null]]);
    expect(await User.select(User.username).orderBy(User.age.asc('first')).tuples()).toEqual([['carol_50%'], ['bob'], ['alice']]);
  });

  it('DISTINCT ON keeps the first row of each group', async () => {
    const { Tweet } = M;
    const best = await Tweet.select(Tweet.user, Tweet.content).distinct(Tweet.user).orderBy(Tweet.user, Tweet.likes.desc()).tuples();
    expect(best.map((r) => r[1])).toEqual(['a2', 'b1']);
    expect(await Tweet.select(Tweet.user).distinct().count()).toBe(2);
  });

  it('window functions with partition, order and a frame', async () => {
    const { Tweet } = M;
    const rows = await Tweet.select(
      Tweet.content,
      fn.rank().over({ partitionBy: Tweet.user, orderBy: Tweet.likes.desc() }).as('rank'),
      fn
        .sum(Tweet.likes)
        .over({ partitionBy: Tweet.user, orderBy: Tweet.id, frame: { type: 'ROWS', start: '1 PRECEDING', end: 'CURRENT ROW' } })
        .as('pair'),
    )
      .orderBy(Tweet.id)
      .dicts();
    expect(rows).toEqual([
      { content: 'a1', rank: 2, pair: 5 },
      { content: 'a2', rank: 1, pair: 15 },
      { content: 'a3', rank: 3, pair: 11 },
      { content: 'b1', rank: 1, pair: 7 },
    ]);
  });

  it('subqueries in SELECT, FROM and WHERE EXISTS', async () => {
    const { User, Tweet } = M;
    const counted = await User.select(User.username, Tweet.select(fn.count()).where(Tweet.user.eq(User.id)).as('tweets'))
      .orderBy(User.username)
      .tuples();
    expect(counted).toEqual([
      ['alice', 3],
      ['bob', 1],
      ['carol_50%', 0],
    ]);
    const sub = Tweet.select(Tweet.user, fn.max(Tweet.likes).as('best')).groupBy(Tweet.user).subquery('best');
    const joined = await User.select(User.username, sub.c.best)
      .join(sub, { on: sub.c.user.eq(User.id) })
      .where(sub.c.best.gt(6))
      .orderBy(User.username)
      .dicts();
    expect(joined).toEqual([
      { username: 'alice', best: 10 },
      { username: 'bob', best: 7 },
    ]);
    expect(await sub.select().where(sub.c.best.lt(8))).toEqual([{ user: expect.any(Number), best: 7 }]);
    const silent = await User.select(User.username).where(not(exists(Tweet.select(Tweet.id).where(Tweet.user.eq(User.id)))));
    expect(silent.map((u) => u.username)).toEqual(['carol_50%']);
  });

  it('LEFT JOIN LATERAL returns the top rows per parent, and NULL for a parent with none', async () => {
    const { User, Tweet } = M;
    const top = Tweet.select(Tweet.content, Tweet.likes).where(Tweet.user.eq(User.id)).orderBy(Tweet.likes.desc()).limit(2).subquery('top');
    const query = User.select(User.username, top.c.content)
      .join(top, { on: sql`true`, type: 'left', lateral: true })
      .orderBy(User.username, top.c.likes.desc());
    expect(query.sql().text).toContain('LEFT OUTER JOIN LATERAL (SELECT');
    expect(await query.tuples()).toEqual([
      ['alice', 'a2'],
      ['alice', 'a1'],
      ['bob', 'b1'],
      ['carol_50%', null],
    ]);
  });

  it('a CTE object can be selected from, joined, and used with .with()', async () => {
    const { User, Tweet } = M;
    const totals = Tweet.select(Tweet.user, fn.sum(Tweet.likes).as('total')).groupBy(Tweet.user).cte('totals');
    expect(await totals.select(totals.c.total).where(totals.c.total.gt(10)).tuples()).toEqual([[16]]);
    const admins = cte('admins', User.select(User.id).where(User.isAdmin.eq(true)));
    const adminTweets = await Tweet.select(Tweet.content)
      .with(admins)
      .join(admins, { on: admins.c.id.eq(Tweet.user) })
      .orderBy(Tweet.content);
    expect(adminTweets.map((t) => t.content)).toEqual(['a1', 'a2', 'a3']);
  });

  it('a recursive CTE walks a tree', async () => {
    const { Category } = M;
    const tree = recursiveCte('tree', ['id', 'title', 'depth'], (self) =>
      Category.select(Category.id, Category.title, sql`0`)
        .where(Category.parent.isNull())
        .unionAll(Category.select(Category.id, Category.title, self.c.depth.add(1)).join(self, { on: Category.parent.eq(self.c.id) })),
    );
    expect(await tree.select(tree.c.title, tree.c.depth).orderBy(tree.c.depth, tree.c.title).tuples()).toEqual([
      ['other root', 0],
      ['root', 0],
      ['child', 1],
      ['grandchild', 2],
    ]);
  });

  it('UNION, UNION ALL, INTERSECT and EXCEPT return the combined rows', async () => {
    const { User } = M;
    const admins = User.select(User.username).where(User.isAdmin.eq(true));
    const young = User.select(User.username).where(User.age.lt(31));
    const flat = async (q: PromiseLike<unknown[][]>) => (await q).map((r) => r[0]);
    expect(await flat(admins.union(young).orderBy(User.username.desc()).tuples())).toEqual(['bob', 'alice']);
    expect(await admins.unionAll(young).count()).toBe(3);
    expect(await flat(admins.intersect(young).tuples())).toEqual(['alice']);
    expect(await flat(young.except(admins).tuples())).toEqual(['bob']);
    const rows = await admins.union(young).orderBy(User.username).limit(1);
    expect(rows[0]).toBeInstanceOf(User);
    expect(rows[0]?.username).toBe('alice');
  });

  it('FOR UPDATE OF … SKIP LOCKED / NOWAIT run inside a transaction', async () => {
    const { Tweet, User } = M;
    const log = recordQueries(db);
    await db.execute(sql`BEGIN`);
    try {
      const locked = await Tweet.select(Tweet.content)
        .join(User)
        .where(User.username.eq('bob'))
        .forUpdate({ of: [Tweet], skipLocked: true });
      expect(locked.map((t) => t.content)).toEqual(['b1']);
      expect(await User.select(User.username).where(User.id.eq(-1)).forUpdate({ nowait: true })).toEqual([]);
    } finally {
      await db.execute(sql`ROLLBACK`);
    }
    expect(log.sql.some((s) => s.endsWith('FOR UPDATE OF "tweets" SKIP LOCKED'))).toBe(true);
    log.stop();
  });
});
