import { describe, expect, it } from 'vitest';
import { and, cte, exists, fn, not, or, recursiveCte, sql } from '../src/index.js';
import { Category, Message, Tweet, User } from './models.js';

const U = '"users"."id", "users"."username", "users"."email", "users"."age", "users"."is_admin"';

describe('SELECT: columns, conditions and operators', () => {
  it('ANDs where() arguments and calls; or/not nest with parentheses', () => {
    const q = User.select(User.id)
      .where(User.age.gte(18), or(User.username.eq('a'), not(User.isAdmin)))
      .where(User.email.isNotNull());
    expect(q.sql()).toEqual({
      text: 'SELECT "users"."id" FROM "users" WHERE (("users"."age" >= $1) AND (("users"."username" = $2) OR (NOT "users"."is_admin"))) AND "users"."email" IS NOT NULL',
      values: [18, 'a'],
    });
  });

  it('compiles every comparison operator with parameters', () => {
    const q = User.select(User.id).where(
      and(
        User.id.ne(1),
        User.id.lt(2),
        User.id.lte(3),
        User.id.gt(4),
        User.age.between(5, 6),
        User.username.like('a%'),
        User.username.ilike('B%'),
        User.username.regexp('^x+$'),
        User.email.eq(null),
        User.email.ne(null),
      ),
    );
    expect(q.sql()).toEqual({
      text:
        'SELECT "users"."id" FROM "users" WHERE ("users"."id" <> $1) AND ("users"."id" < $2) AND ("users"."id" <= $3) AND ("users"."id" > $4)' +
        ' AND ("users"."age" BETWEEN $5 AND $6) AND ("users"."username" LIKE $7) AND ("users"."username" ILIKE $8)' +
        ' AND ("users"."username" ~ $9) AND "users"."email" IS NULL AND "users"."email" IS NOT NULL',
      values: [1, 2, 3, 4, 5, 6, 'a%', 'B%', '^x+$'],
    });
  });

  it('in() takes a list, an empty list (matches nothing) or a subquery', () => {
    expect(
      User.select(User.id)
        .where(User.id.in([1, 2]))
        .sql(),
    ).toEqual({
      text: 'SELECT "users"."id" FROM "users" WHERE "users"."id" IN ($1, $2)',
      values: [1, 2],
    });
    expect(User.select(User.id).where(User.id.in([])).sql()).toEqual({ text: 'SELECT "users"."id" FROM "users" WHERE $1', values: [false] });
    expect(User.select(User.id).where(User.id.notIn([])).sql()).toEqual({ text: 'SELECT "users"."id" FROM "users" WHERE $1', values: [true] });
    const authors = Tweet.select(Tweet.user).where(Tweet.likes.gt(10));
    expect(User.select(User.id).where(User.id.in(authors)).sql()).toEqual({
      text: 'SELECT "users"."id" FROM "users" WHERE "users"."id" IN (SELECT "tweets"."user_id" FROM "tweets" WHERE "tweets"."likes" > $1)',
      values: [10],
    });
    expect(User.select(User.id).where(User.id.notIn(authors)).sql().text).toContain('"users"."id" NOT IN (SELECT');
  });

  it('startsWith/endsWith/contains escape %, _ and \\ in the value', () => {
    const q = User.select(User.id).where(User.username.startsWith('50%_'), User.username.endsWith('a\\b'), User.username.contains('_'));
    expect(q.sql()).toEqual({
      text: 'SELECT "users"."id" FROM "users" WHERE (("users"."username" LIKE $1) AND ("users"."username" LIKE $2)) AND ("users"."username" LIKE $3)',
      values: ['50\\%\\_%', '%a\\\\b', '%\\_%'],
    });
  });

  it('compiles arithmetic, concat, cast and aliases', () => {
    const q = Tweet.select(Tweet.likes.add(1).mul(2).as('score'), Tweet.content.concat('!').as('loud'), Tweet.id.cast('text').as('key'));
    expect(q.sql()).toEqual({
      text: 'SELECT (("tweets"."likes" + $1) * $2) AS "score", ("tweets"."content" || $3) AS "loud", CAST("tweets"."id" AS text) AS "key" FROM "tweets"',
      values: [1, 2, '!'],
    });
    expect(Tweet.select(Tweet.likes.sub(1).div(2).as('x')).sql().text).toBe('SELECT (("tweets"."likes" - $1) / $2) AS "x" FROM "tweets"');
  });

  it('validates column operands like writes, before any SQL is built', () => {
    expect(() => User.age.eq('x' as never)).toThrow(/Users?\.age/);
  });
});

describe('SELECT: joins, grouping, ordering and paging', () => {
  it('infers the join condition from the one foreign key', () => {
    expect(Tweet.select(Tweet.content, User.username).join(User).sql().text).toBe(
      'SELECT "tweets"."content", "users"."username" FROM "tweets" INNER JOIN "users" ON "tweets"."user_id" = "users"."id"',
    );
    expect(User.select(User.username).join(Tweet, { type: 'left' }).sql().text).toBe(
      'SELECT "users"."username" FROM "users" LEFT OUTER JOIN "tweets" ON "tweets"."user_id" = "users"."id"',
    );
  });

  it('refuses to guess between several foreign keys, naming them', () => {
    expect(() => Message.select().join(User)).toThrow(/several foreign keys.*Message\.sender, Message\.recipient/);
    expect(() => Category.select().join(User)).toThrow(/no foreign key links it/);
  });

  it('groups, filters groups and orders with NULLS FIRST/LAST', () => {
    const q = Tweet.select(Tweet.user, fn.count(Tweet.id).as('n'))
      .groupBy(Tweet.user)
      .having(fn.count(Tweet.id).gt(1))
      .orderBy(fn.count(Tweet.id).desc('last'), Tweet.user.asc('first'));
    expect(q.sql()).toEqual({
      text:
        'SELECT "tweets"."user_id", count("tweets"."id") AS "n" FROM "tweets" GROUP BY "tweets"."user_id" HAVING count("tweets"."id") > $1' +
        ' ORDER BY count("tweets"."id") DESC NULLS LAST, "tweets"."user_id" ASC NULLS FIRST',
      values: [1],
    });
  });

  it('paginates from page 1', () => {
    expect(User.select(User.id).orderBy(User.id).paginate(3, 10).sql()).toEqual({
      text: 'SELECT "users"."id" FROM "users" ORDER BY "users"."id" ASC LIMIT $1 OFFSET $2',
      values: [10, 20],
    });
    expect(() => User.select().paginate(0)).toThrow(/non-negative integer/);
  });

  it('DISTINCT and DISTINCT ON', () => {
    expect(Tweet.select(Tweet.user).distinct().sql().text).toBe('SELECT DISTINCT "tweets"."user_id" FROM "tweets"');
    expect(Tweet.select(Tweet.user, Tweet.likes).distinct(Tweet.user).orderBy(Tweet.user, Tweet.likes.desc()).sql().text).toBe(
      'SELECT DISTINCT ON ("tweets"."user_id") "tweets"."user_id", "tweets"."likes" FROM "tweets" ORDER BY "tweets"."user_id" ASC, "tweets"."likes" DESC',
    );
  });

  it('FOR UPDATE with OF, SKIP LOCKED and NOWAIT', () => {
    expect(
      Tweet.select(Tweet.id)
        .join(User)
        .forUpdate({ of: [Tweet], skipLocked: true })
        .sql().text,
    ).toBe('SELECT "tweets"."id" FROM "tweets" INNER JOIN "users" ON "tweets"."user_id" = "users"."id" FOR UPDATE OF "tweets" SKIP LOCKED');
    expect(User.select(User.id).forUpdate({ nowait: true }).sql().text).toBe('SELECT "users"."id" FROM "users" FOR UPDATE NOWAIT');
    expect(() => User.select().forUpdate({ nowait: true, skipLocked: true })).toThrow(/skipLocked or nowait/);
  });

  it('window functions with partition, order and frame', () => {
    const running = fn
      .sum(Tweet.likes)
      .over({ partitionBy: Tweet.user, orderBy: [Tweet.id], frame: { type: 'ROWS', start: 'UNBOUNDED PRECEDING', end: 'CURRENT ROW' } })
      .as('running');
    const rank = fn
      .rank()
      .over({ partitionBy: [Tweet.user], orderBy: Tweet.likes.desc() })
      .as('rank');
    expect(Tweet.select(Tweet.id, running, rank).sql().text).toBe(
      'SELECT "tweets"."id", sum("tweets"."likes") OVER (PARTITION BY "tweets"."user_id" ORDER BY "tweets"."id" ASC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS "running",' +
        ' rank() OVER (PARTITION BY "tweets"."user_id" ORDER BY "tweets"."likes" DESC) AS "rank" FROM "tweets"',
    );
  });

  it('sql fragments interpolate columns as SQL and values as parameters', () => {
    expect(User.select(User.id).where(sql`lower(${User.username}) = ${"O'Brien"}`).sql()).toEqual({
      text: 'SELECT "users"."id" FROM "users" WHERE lower("users"."username") = $1',
      values: ["O'Brien"],
    });
  });
});

describe('SELECT: subqueries, EXISTS, CTEs and set operations', () => {
  it('subquery in SELECT, FROM (with named columns) and WHERE EXISTS', () => {
    const counted = User.select(User.username, Tweet.select(fn.count()).where(Tweet.user.eq(User.id)).as('tweets'));
    expect(counted.sql().text).toBe(
      'SELECT "users"."username", (SELECT count(*) FROM "tweets" WHERE "tweets"."user_id" = "users"."id") AS "tweets" FROM "users"',
    );
    const sub = Tweet.select(Tweet.user, fn.sum(Tweet.likes).as('total')).groupBy(Tweet.user).subquery('per_user');
    expect(
      User.select(User.username, sub.c.total)
        .join(sub, { on: sub.c.user.eq(User.id) })
        .where(sub.c.total.gt(5))
        .sql(),
    ).toEqual({
      text:
        'SELECT "users"."username", "per_user"."total" FROM "users" INNER JOIN (SELECT "tweets"."user_id", sum("tweets"."likes") AS "total" FROM "tweets" GROUP BY "tweets"."user_id") AS "per_user"("user", "total")' +
        ' ON "per_user"."user" = "users"."id" WHERE "per_user"."total" > $1',
      values: [5],
    });
    expect(sub.select().sql().text).toBe(
      'SELECT "per_user"."user", "per_user"."total" FROM (SELECT "tweets"."user_id", sum("tweets"."likes") AS "total" FROM "tweets" GROUP BY "tweets"."user_id") AS "per_user"("user", "total")',
    );
    expect(
      User.select(User.id)
        .where(exists(Tweet.select(Tweet.id).where(Tweet.user.eq(User.id))))
        .sql().text,
    ).toBe('SELECT "users"."id" FROM "users" WHERE EXISTS (SELECT "tweets"."id" FROM "tweets" WHERE "tweets"."user_id" = "users"."id")');
  });

  it('a derived table refuses unnamed expressions and needs an explicit join condition', () => {
    expect(() => Tweet.select(Tweet.likes.add(1)).subquery('s')).toThrow(/without a name: give it one with \.as/);
    const sub = Tweet.select(Tweet.user).subquery('s');
    expect(() => User.select().join(sub)).toThrow(/pass \{ on: … \}/);
  });

  it('a CTE object: selecting from it adds the WITH; .with() adds it to any query', () => {
    const top = Tweet.select(Tweet.user, fn.sum(Tweet.likes).as('total')).groupBy(Tweet.user).cte('top', { materialized: true });
    expect(top.select(top.c.user).where(top.c.total.gt(10)).sql()).toEqual({
      text:
        'WITH "top"("user", "total") AS MATERIALIZED (SELECT "tweets"."user_id", sum("tweets"."likes") AS "total" FROM "tweets" GROUP BY "tweets"."user_id")' +
        ' SELECT "top"."user" FROM "top" WHERE "top"."total" > $1',
      values: [10],
    });
    const admins = cte('admins', User.select(User.id).where(User.isAdmin.eq(true)));
    expect(
      Tweet.select(Tweet.id)
        .with(admins)
        .join(admins, { on: admins.c.id.eq(Tweet.user) })
        .sql(),
    ).toEqual({
      text: 'WITH "admins"("id") AS (SELECT "users"."id" FROM "users" WHERE "users"."is_admin" = $1) SELECT "tweets"."id" FROM "tweets" INNER JOIN "admins" ON "admins"."id" = "tweets"."user_id"',
      values: [true],
    });
  });

  it('a recursive CTE refers to itself in the recursive part', () => {
    const tree = recursiveCte('tree', ['id', 'title', 'depth'], (self) =>
      Category.select(Category.id, Category.title, sql`0`)
        .where(Category.parent.isNull())
        .unionAll(Category.select(Category.id, Category.title, self.c.depth.add(1)).join(self, { on: Category.parent.eq(self.c.id) })),
    );
    expect(tree.select(tree.c.title, tree.c.depth).orderBy(tree.c.depth, tree.c.title).sql()).toEqual({
      text:
        'WITH RECURSIVE "tree"("id", "title", "depth") AS ((SELECT "categories"."id", "categories"."title", 0 FROM "categories" WHERE "categories"."parent_id" IS NULL)' +
        ' UNION ALL (SELECT "categories"."id", "categories"."title", "tree"."depth" + $1 FROM "categories" INNER JOIN "tree" ON "categories"."parent_id" = "tree"."id"))' +
        ' SELECT "tree"."title", "tree"."depth" FROM "tree" ORDER BY "tree"."depth" ASC, "tree"."title" ASC',
      values: [1],
    });
    expect(() => recursiveCte('bad', ['a'], () => Category.select(Category.id, Category.title))).toThrow(/names 1 columns but its query selects 2/);
  });

  it('UNION, UNION ALL, INTERSECT, EXCEPT, with ORDER BY on output names', () => {
    const a = User.select(User.username).where(User.isAdmin.eq(true));
    const b = User.select(User.username).where(User.age.lt(30));
    expect(a.union(b).orderBy(User.username.desc()).limit(5).sql()).toEqual({
      text: '(SELECT "users"."username" FROM "users" WHERE "users"."is_admin" = $1) UNION (SELECT "users"."username" FROM "users" WHERE "users"."age" < $2) ORDER BY "username" DESC LIMIT $3',
      values: [true, 30, 5],
    });
    expect(a.unionAll(b).sql().text).toContain(') UNION ALL (');
    expect(a.intersect(b).sql().text).toContain(') INTERSECT (');
    expect(a.except(b).sql().text).toContain(') EXCEPT (');
    expect(a.union(b).except(b).sql().text).toMatch(/^\(\(SELECT .*\) UNION \(SELECT .*\)\) EXCEPT \(SELECT .*\)$/);
  });
});

describe('SELECT: default columns', () => {
  it('selects every field of the model by default', () => {
    expect(User.select().sql().text).toBe(`SELECT ${U} FROM "users"`);
  });
});
