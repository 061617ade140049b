// The examples of shared/SPEC.md (sections Models and "Queries are lazy"), run as written against a real server:
// the spec's own Tweet has a field named `meta`, which pewit used to refuse.
import { AutoField, BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, JSONField, model, type SelectQuery, TextField } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();
let db: PostgresqlDatabase;

function specModels(db: PostgresqlDatabase) {
  class User extends model(
    'users',
    {
      id: AutoField(),
      username: CharField({ maxLength: 50, unique: true }),
      email: TextField({ null: true }),
      isAdmin: BooleanField({ default: false }),
      joinedAt: DateTimeField({ default: () => new Date() }),
    },
    { database: db },
  ) {
    declare readonly tweets: SelectQuery<Tweet>;
    get label() {
      return `@${this.username}`;
    } // user methods are allowed
  }

  class Tweet extends model(
    'tweets',
    {
      id: AutoField(),
      user: ForeignKeyField(() => User, { backref: 'tweets', onDelete: 'CASCADE' }),
      content: TextField(),
      likes: IntegerField({ default: 0 }),
      meta: JSONField<{ tags: string[] }>({ null: true }),
    },
    { database: db, indexes: [{ fields: ['user', 'likes'] }] },
  ) {}
  return { User, Tweet };
}

let m: ReturnType<typeof specModels>;

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  m = specModels(db);
  await db.createTables([m.User, m.Tweet]);
  const alice = await m.User.create({ username: 'alice' });
  await m.Tweet.create({ user: alice, content: 'hello', likes: 12, meta: { tags: ['greeting'] } });
  await m.Tweet.create({ user: alice, content: 'again', likes: 30 });
});
afterAll(() => db.close());

describe('SPEC.md examples', () => {
  it('Models: typed columns and values, the meta field, the label getter', async () => {
    const { User, Tweet } = m;
    expect(User.c.username.columnName).toBe('username');
    expect(User.username).toBe(User.c.username);
    expect(Tweet.meta).toBe(Tweet.c.meta);
    const tweet = await Tweet.get(Tweet.c.content.eq('hello'));
    expect(tweet.likes).toBe(12);
    expect(tweet.meta).toEqual({ tags: ['greeting'] });
    expect(tweet.user.label).toBe('@alice');
    expect((await User.get(User.username.eq('alice'))).email).toBeNull();
  });

  it('Queries are lazy: every evaluating call of the example', async () => {
    const { User, Tweet } = m;
    const q = Tweet.select(Tweet, User)
      .join(User)
      .where(User.username.eq('alice'), Tweet.likes.gte(10)) // arguments are ANDed
      .orderBy(Tweet.id.desc())
      .limit(20);

    expect((await q).map((t) => [t.content, t.user.username])).toEqual([
      ['again', 'alice'],
      ['hello', 'alice'],
    ]);
    expect(q.allSync()).toHaveLength(2);
    const blocking: string[] = [];
    for (const t of q) blocking.push(t.content);
    expect(blocking).toEqual(['again', 'hello']);
    const streamed: string[] = [];
    for await (const t of q.iterator({ batchSize: 500 })) streamed.push(t.content);
    expect(streamed).toEqual(['again', 'hello']);
    expect((await q.first())?.content).toBe('again');
    expect((await q.get()).content).toBe('again');
    expect((await q.getOrNone())?.content).toBe('again');
    expect(await q.count()).toBe(2);
    expect(await q.exists()).toBe(true);
    expect(await q.scalar()).toBeTypeOf('number');
    expect(q.sql().text).toMatch(/^SELECT "tweets"."id", .* INNER JOIN "users" ON .* WHERE .* ORDER BY "tweets"."id" DESC LIMIT \$\d+$/);
  });

  it('Relations: the backref and load()', async () => {
    const { User, Tweet } = m;
    const alice = await User.get(User.username.eq('alice'));
    expect((await alice.tweets).map((t) => t.content).sort()).toEqual(['again', 'hello']);
    const tweet = await Tweet.get(Tweet.content.eq('again'));
    expect((await tweet.load('user')).username).toBe('alice');
    expect(tweet.userId).toBe(alice.id);
  });
});
