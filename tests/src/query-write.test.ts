import { excluded, fn } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryModels } from './query-models.js';

const database = useTestDatabase();
let db: PostgresqlDatabase;
let M: ReturnType<typeof queryModels>;

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  M = queryModels(db);
  await db.createTables([M.User, M.Tweet, M.Category, M.Archive]);
});
beforeEach(async () => {
  await M.Archive.delete();
  await M.Tweet.delete();
  await M.User.delete();
});
afterAll(() => db.close());

describe('writes on the server', () => {
  it('insertMany of 66,000 values (above the 65,535 parameters of one statement) sends one array per column and inserts every row', async () => {
    const { User } = M;
    // 3 columns (username, age, is_admin) per row: 22,000 rows are 66,000 values, in 3 array parameters.
    const rows = Array.from({ length: 22_000 }, (_, i) => ({ username: `u${i}`, age: i % 90 }));
    const log = recordQueries(db);
    expect(await User.insertMany(rows)).toBe(22_000);
    expect(log.events.filter((e) => e.sql.startsWith('INSERT')).map((e) => e.params.length)).toEqual([3]);
    log.stop();
    expect(await User.select().count()).toBe(22_000);
    expect(await User.select(User.age).where(User.username.eq('u21999')).scalar()).toBe(21_999 % 90);
  });

  it('onConflict ignore, update with EXCLUDED and a WHERE, and by constraint name', async () => {
    const { User } = M;
    await User.insertMany([
      { username: 'a', age: 1 },
      { username: 'b', age: 50 },
    ]);
    expect(await User.insertMany([{ username: 'a', age: 9 }]).onConflict({ target: [User.username], ignore: true })).toBe(0);
    const updated = await User.insertMany([
      { username: 'a', age: 2 },
      { username: 'b', age: 60 },
      { username: 'c', age: 3 },
    ])
      .onConflict({ target: [User.username], update: { age: User.age.add(excluded(User.age)) }, where: User.age.lt(10) })
      .returning(User.username, User.age);
    expect(updated.map((u) => [u.username, u.age]).sort()).toEqual([
      ['a', 3],
      ['c', 3],
    ]);
    await User.insertMany([{ username: 'b', age: 0 }]).onConflict({ constraint: 'users_username_key', update: { age: excluded(User.age) } });
    expect(await User.select(User.username, User.age).orderBy(User.username).tuples()).toEqual([
      ['a', 3],
      ['b', 0],
      ['c', 3],
    ]);
  });

  it('insertFrom copies the rows of a SELECT, with RETURNING', async () => {
    const { User, Tweet, Archive } = M;
    const alice = await User.create({ username: 'alice' });
    await Tweet.insertMany([
      { user: alice, content: 'x', likes: 1 },
      { user: alice, content: 'y', likes: 5 },
      { user: alice, content: 'z', likes: 9 },
    ]);
    const n = await Archive.insertFrom(Tweet.select(Tweet.content.concat('!'), Tweet.likes.mul(10)).where(Tweet.likes.gt(2)), [Archive.text, 'score']);
    expect(n).toBe(2);
    expect(await Archive.select(Archive.text, Archive.score).orderBy(Archive.score).tuples()).toEqual([
      ['y!', 50],
      ['z!', 90],
    ]);
    const returned = await Archive.insertFrom(Tweet.select(Tweet.content, Tweet.likes).where(Tweet.likes.eq(1)), ['text', 'score']).returning(Archive.text);
    expect(returned.map((r) => r.text)).toEqual(['x']);
  });

  it('update with expressions, returning, and delete count rows', async () => {
    const { User, Tweet } = M;
    const alice = await User.create({ username: 'alice' });
    await Tweet.insertMany([
      { user: alice, content: 'p', likes: 1 },
      { user: alice, content: 'q', likes: 2 },
    ]);
    expect(await Tweet.update({ likes: Tweet.likes.mul(10), content: fn.upper(Tweet.content) }).where(Tweet.likes.gte(2))).toBe(1);
    const back = await Tweet.update({ likes: Tweet.likes.add(1) }).returning(Tweet.content, Tweet.likes);
    expect(back.map((t) => [t.content, t.likes]).sort()).toEqual([
      ['Q', 21],
      ['p', 2],
    ]);
    expect(await Tweet.delete().where(Tweet.likes.lt(10))).toBe(1);
    expect(await Tweet.select(Tweet.content).tuples()).toEqual([['Q']]);
  });

  it('bulkUpdate writes each instance its own values with one UPDATE … CASE per batch', async () => {
    const { User } = M;
    await User.insertMany([
      { username: 'a', age: 1 },
      { username: 'b', age: 2 },
      { username: 'c', age: 3 },
      { username: 'untouched', age: 4 },
    ]);
    const users = await User.select().where(User.username.ne('untouched')).orderBy(User.username);
    users.forEach((u, i) => {
      u.age = (i + 1) * 100;
      u.isAdmin = i === 1;
    });
    (users[2] as (typeof users)[number]).age = null;
    const log = recordQueries(db);
    expect(await User.bulkUpdate(users, ['age', User.isAdmin])).toBe(3);
    expect(log.count).toBe(1);
    expect(log.sql[0]).toMatch(/^UPDATE "users" SET "age" = CASE "users"."id" WHEN \$1 THEN \$2::integer/);
    log.reset();
    users.forEach((u) => {
      u.age = 7;
    });
    expect(await User.bulkUpdate(users, ['age'], { batchSize: 2 })).toBe(3);
    expect(log.count).toBe(2);
    log.stop();
    expect(users.every((u) => !u.isDirty())).toBe(true);
    expect(await User.select(User.username, User.age, User.isAdmin).orderBy(User.username).tuples()).toEqual([
      ['a', 7, false],
      ['b', 7, true],
      ['c', 7, false],
      ['untouched', 4, false],
    ]);
  });
});
