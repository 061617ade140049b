import { AutoField, CharField, ForeignKeyField, model, type SelectQuery, TextField } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();

function defineModels(db: PostgresqlDatabase) {
  // Tweet is defined before User on purpose: the backref must still land on User.
  class Tweet extends model('tweets', { id: AutoField(), user: ForeignKeyField(() => User, { backref: 'tweets' }), content: TextField() }, { database: db }) {}
  class User extends model('users', { id: AutoField(), username: CharField({ maxLength: 50, unique: true }) }, { database: db }) {
    declare readonly tweets: SelectQuery<Tweet>;
    get label() {
      return `@${this.username}`;
    }
  }
  class Post extends model(
    'posts',
    {
      id: AutoField(),
      author: ForeignKeyField(() => User),
      editor: ForeignKeyField(() => User, { null: true }),
      title: TextField(),
    },
    { database: db },
  ) {}
  class Account extends model('accounts', { id: AutoField(), user: ForeignKeyField(() => User, { null: true }), email: TextField() }, { database: db }) {}
  return { User, Tweet, Post, Account };
}

let db: PostgresqlDatabase;
let M: ReturnType<typeof defineModels>;

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  M = defineModels(db);
  await db.createTables([M.User, M.Tweet, M.Post, M.Account]);
  const { User, Tweet, Post, Account } = M;
  const alice = await User.create({ username: 'alice' });
  const bob = await User.create({ username: 'bob' });
  await User.create({ username: 'carol' });
  await Tweet.insertMany([
    { user: alice, content: 'a1' },
    { user: alice, content: 'a2' },
    { user: bob, content: 'b1' },
  ]);
  await Post.insertMany([
    { author: alice, editor: bob, title: 'edited' },
    { author: bob, editor: null, title: 'raw' },
  ]);
  await Account.insertMany([
    { user: alice, email: 'a@x' },
    { user: null, email: 'orphan@x' },
  ]);
});
afterAll(() => db.close());

describe('join hydration', () => {
  it('builds tweet.user from one statement, as an instance of the user class', async () => {
    const { User, Tweet } = M;
    const log = recordQueries(db);
    const tweets = await Tweet.select(Tweet, User).join(User).orderBy(Tweet.id);
    expect(tweets.map((t) => [t.content, t.user.username])).toEqual([
      ['a1', 'alice'],
      ['a2', 'alice'],
      ['b1', 'bob'],
    ]);
    expect(tweets[0]?.user).toBeInstanceOf(User);
    expect(tweets[0]?.user.label).toBe('@alice');
    expect(log.count).toBe(1);
    log.stop();
  });

  it('hydrates the joined model from selected columns only', async () => {
    const { User, Tweet } = M;
    const log = recordQueries(db);
    const tweets = await Tweet.select(Tweet.content, User.username).join(User).orderBy(User.username, Tweet.content);
    expect(tweets.map((t) => [t.content, t.user.username])).toEqual([
      ['a1', 'alice'],
      ['a2', 'alice'],
      ['b1', 'bob'],
    ]);
    expect(log.count).toBe(1);
    log.stop();
  });

  it('turns an outer-join miss into null, never an empty instance, and keeps the raw key', async () => {
    const { User, Account } = M;
    const log = recordQueries(db);
    const accounts = await Account.select(Account, User).join(User, { type: 'left' }).orderBy(Account.id);
    expect(accounts.map((a) => [a.email, a.user?.username ?? null])).toEqual([
      ['a@x', 'alice'],
      ['orphan@x', null],
    ]);
    expect(accounts[1]?.user).toBeNull();
    expect(accounts[1]?.userId).toBeNull();
    expect(accounts[1]?.isDirty()).toBe(false);
    expect(log.count).toBe(1);
    log.stop();
  });

  it('joins the same model twice through aliases, each attached by its own foreign key', async () => {
    const { User, Post } = M;
    const Author = User.alias('author');
    const Editor = User.alias('editor');
    const q = Post.select(Post, Author, Editor)
      .join(Author, { on: Post.author.eq(Author.id) })
      .join(Editor, { on: Post.editor.eq(Editor.id), type: 'left' })
      .orderBy(Post.id);
    expect(q.sql().text).toContain('INNER JOIN "users" AS "author" ON "posts"."author_id" = "author"."id"');
    expect(q.sql().text).toContain('LEFT OUTER JOIN "users" AS "editor" ON "posts"."editor_id" = "editor"."id"');
    const log = recordQueries(db);
    const posts = await q;
    expect(posts.map((p) => [p.title, p.author.username, p.editor?.username ?? null])).toEqual([
      ['edited', 'alice', 'bob'],
      ['raw', 'bob', null],
    ]);
    expect(posts[0]?.author).toBeInstanceOf(User);
    expect(log.count).toBe(1);
    log.stop();
  });

  it('filters on an alias column with a parameter; an ambiguous alias join is an error naming the keys', async () => {
    const { User, Post } = M;
    const Author = User.alias('author');
    const q = Post.select(Post, Author)
      .join(Author, { on: Post.author.eq(Author.id) })
      .where(Author.username.eq('bob'));
    expect(q.sql().values).toEqual(['bob']);
    const posts = await q;
    expect(posts.map((p) => [p.title, p.author.username])).toEqual([['raw', 'bob']]);
    expect(() => Post.select(Post, Author).join(Author)).toThrow(/several foreign keys link it \(Post\.author, Post\.editor\)/);
  });
});

describe('lazy foreign keys', () => {
  it('reads tweet.user with one blocking query, then from the cache', async () => {
    const { User, Tweet } = M;
    const tweet = await Tweet.select().where(Tweet.content.eq('b1')).get();
    const log = recordQueries(db);
    expect(tweet.userId).toBeTypeOf('number');
    expect(log.count).toBe(0);
    const user = tweet.user;
    expect(user).toBeInstanceOf(User);
    expect(user.username).toBe('bob');
    expect(log.events.map((e) => e.path)).toEqual(['blocking']);
    expect(tweet.user).toBe(user);
    expect(log.count).toBe(1);
    log.stop();
  });

  it('load() is async and cached; assigning an instance caches it', async () => {
    const { User, Tweet } = M;
    const tweet = await Tweet.select().where(Tweet.content.eq('a1')).get();
    const log = recordQueries(db);
    const user = await tweet.load('user');
    expect(user.username).toBe('alice');
    expect(await tweet.load('user')).toBe(user);
    expect(log.events.map((e) => e.path)).toEqual(['async']);
    const bob = await User.get(User.username.eq('bob'));
    log.reset();
    tweet.user = bob;
    expect(tweet.user).toBe(bob);
    expect(tweet.userId).toBe(bob.id);
    expect(log.count).toBe(0);
    log.stop();
  });

  it('the N+1 loop costs 1 + N statements', async () => {
    const { Tweet } = M;
    const log = recordQueries(db);
    const names = [];
    for (const t of await Tweet.select().orderBy(Tweet.id)) names.push(t.user.username);
    expect(names).toEqual(['alice', 'alice', 'bob']);
    expect(log.count).toBe(1 + 3);
    log.stop();
  });
});

describe('back-references', () => {
  it('user.tweets is a lazy, chainable, awaitable query', async () => {
    const { User, Tweet } = M;
    const alice = await User.get(User.username.eq('alice'));
    const log = recordQueries(db);
    const q = alice.tweets;
    expect(log.count).toBe(0);
    expect(q.sql().text).toBe('SELECT "tweets"."id", "tweets"."user_id", "tweets"."content" FROM "tweets" WHERE "tweets"."user_id" = $1');
    expect((await q).map((t) => t.content).sort()).toEqual(['a1', 'a2']);
    expect(await alice.tweets.where(Tweet.content.eq('a2')).count()).toBe(1);
    expect(log.count).toBe(2);
    log.stop();
  });

  it('iterating user.tweets is one blocking query', async () => {
    const { User } = M;
    const bob = await User.get(User.username.eq('bob'));
    const log = recordQueries(db);
    const contents = [];
    for (const t of bob.tweets) contents.push(t.content);
    expect(contents).toEqual(['b1']);
    expect(log.events.map((e) => e.path)).toEqual(['blocking']);
    log.stop();
  });

  it('refuses assignment with a message that says what to do', async () => {
    const { User } = M;
    const bob = await User.get(User.username.eq('bob'));
    expect(() => {
      (bob as unknown as { tweets: unknown }).tweets = [];
    }).toThrow(/back-reference query and cannot be assigned; set Tweet\.user/);
  });
});
