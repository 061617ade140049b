// The edges of relations that docs/relations.md promises: what a lazy foreign key does with a null, an unselected
// or a reassigned key; a backref on an unsaved row or under a taken name; what a prefetch sends when there is
// nothing to look for, and what a filtered level leaves unloaded; reverse joins under a taken name; alias names;
// a through model with two foreign keys to one side.
import { type AnyModelClass, AutoField, CharField, ForeignKeyField, ManyToManyField, model, prefetch, type SelectQuery, TextField } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();

function defineModels(db: PostgresqlDatabase) {
  class User extends model('edge_users', { id: AutoField(), username: CharField({ maxLength: 50, unique: true }) }, { database: db }) {
    declare readonly tweets: SelectQuery<Tweet>;
    /** A member whose name a reverse join of Account would take. */
    get account(): string {
      return 'mine';
    }
  }
  class Tweet extends model(
    'edge_tweets',
    { id: AutoField(), user: ForeignKeyField(() => User, { backref: 'tweets' }), content: TextField() },
    { database: db },
  ) {}
  class Account extends model('edge_accounts', { id: AutoField(), user: ForeignKeyField(() => User, { null: true }), email: TextField() }, { database: db }) {}
  return { User, Tweet, Account };
}

let db: PostgresqlDatabase;
let M: ReturnType<typeof defineModels>;

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  M = defineModels(db);
  await db.createTables([M.User, M.Tweet, M.Account]);
  const alice = await M.User.create({ username: 'alice' });
  const bob = await M.User.create({ username: 'bob' });
  await M.Tweet.insertMany([
    { user: alice, content: 'a1' },
    { user: bob, content: 'b1' },
  ]);
  await M.Account.insertMany([
    { user: alice, email: 'a@x' },
    { user: null, email: 'orphan@x' },
  ]);
});
afterAll(() => db.close());

const byName = (username: string) => M.User.get(M.User.username.eq(username));

describe('lazy foreign keys', () => {
  it('load() of a name that is not a foreign key throws, listing the foreign keys', async () => {
    const tweet = await M.Tweet.get(M.Tweet.content.eq('a1'));
    await expect(tweet.load('content' as never)).rejects.toThrow('Tweet.content is not a relation; relations are the foreign keys user');
  });

  it('a null foreign key reads as null without a query, lazily and through load()', async () => {
    const orphan = await M.Account.get(M.Account.email.eq('orphan@x'));
    const log = recordQueries(db);
    expect(orphan.user).toBeNull();
    expect(await orphan.load('user')).toBeNull();
    log.stop();
    expect(log.count).toBe(0);
  });

  it('a foreign key whose column was not selected is unknown, not null: reading it says to select it', async () => {
    const [tweet] = await M.Tweet.select(M.Tweet.content).where(M.Tweet.content.eq('a1'));
    const log = recordQueries(db);
    expect(() => tweet?.user).toThrow(/Tweet\.user was not selected.*add Tweet\.user to select/);
    await expect(tweet?.load('user')).rejects.toThrow(/Tweet\.user was not selected/);
    log.stop();
    expect(log.count).toBe(0);
  });

  it('assigning a raw key drops the cached instance, so the next read loads the new row', async () => {
    const [alice, bob] = [await byName('alice'), await byName('bob')];
    const tweet = await M.Tweet.get(M.Tweet.content.eq('a1'));
    expect((await tweet.load('user')).username).toBe('alice');
    const log = recordQueries(db);
    // A raw key on the relation itself works at run time; the types want an instance there (or tweet.userId).
    (tweet as unknown as { user: number }).user = bob.id;
    expect((await tweet.load('user')).username).toBe('bob');
    expect(log.count).toBe(1);
    tweet.userId = alice.id;
    expect((await tweet.load('user')).username).toBe('alice');
    expect(log.count).toBe(2);
    log.stop();
  });
});

describe('back-references', () => {
  it('reading one on an unsaved instance throws and says to save it first, before any SQL', () => {
    const log = recordQueries(db);
    expect(() => new M.User({ username: 'ghost' }).tweets).toThrow(/User\.tweets: this User has no id yet; save it before reading its Tweet rows/);
    log.stop();
    expect(log.count).toBe(0);
  });

  it('a backref name that collides with a field of the target model is a TypeError naming both', () => {
    class Owner extends model('edge_owners', { id: AutoField(), pets: TextField() }) {}
    const define = () => {
      class Pet extends model('edge_pets', { id: AutoField(), owner: ForeignKeyField(() => Owner, { backref: 'pets' }) }) {}
      return Pet.select().sql(); // the thunk resolves on first use at the latest
    };
    expect(define).toThrow(TypeError);
    expect(define).toThrow(/\.owner: the backref "pets" collides with \w+\.pets; choose another name/);
  });

  it('after a prefetch, anything built from the loaded backref is a new query that runs', async () => {
    const users = await M.User.select().where(M.User.username.eq('alice')).prefetch(M.Tweet);
    const alice = users[0] as (typeof users)[number];
    const log = recordQueries(db);
    expect((await alice.tweets).map((t) => t.content)).toEqual(['a1']);
    expect([...alice.tweets].map((t) => t.content)).toEqual(['a1']);
    expect(log.count).toBe(0);
    expect(await alice.tweets.where(M.Tweet.content.eq('zz')).count()).toBe(0);
    expect(await alice.tweets.count()).toBe(1);
    log.stop();
    expect(log.count).toBe(2);
  });
});

describe('prefetch', () => {
  it('a level with no keys to look for sends no statement', async () => {
    const log = recordQueries(db);
    const orphans = await M.Account.select().where(M.Account.user.isNull()).prefetch(M.User);
    expect(orphans.map((a) => [a.email, a.user])).toEqual([['orphan@x', null]]);
    expect(await M.User.select().where(M.User.username.eq('nobody')).prefetch(M.Tweet)).toEqual([]);
    expect(log.count).toBe(2);
    await prefetch([], M.Tweet);
    log.stop();
    expect(log.count).toBe(2);
  });

  it('forward: a parent that a filtered level left out stays unloaded, and reading it queries', async () => {
    const tweets = await M.Tweet.select()
      .orderBy(M.Tweet.content)
      .prefetch(M.User.select().where(M.User.username.eq('alice')));
    const [a1, b1] = tweets as [(typeof tweets)[number], (typeof tweets)[number]];
    const log = recordQueries(db);
    expect(a1.user.username).toBe('alice');
    expect(log.count).toBe(0);
    expect((await b1.load('user')).username).toBe('bob');
    log.stop();
    expect(log.count).toBe(1);
  });
});

describe('reverse joins and aliases', () => {
  it('a reverse join whose name the parent already has is refused and asks for an alias; the alias attaches under its name', async () => {
    const { User, Account } = M;
    expect(() => User.select(User, Account).join(Account)).toThrow(
      /its rows would be attached as User\.account, which User already has; join an alias to name it \(Account\.alias\('…'\)\)/,
    );
    const Acct = Account.alias('acct');
    const users = await User.select(User, Acct).join(Acct).orderBy(User.id);
    expect(users.map((u) => [u.username, (u as unknown as { acct: { email: string } }).acct.email])).toEqual([['alice', 'a@x']]);
  });

  it('an alias name must be letters, digits and _', () => {
    for (const bad of ['a b', 'a"b', '', 'x;--']) expect(() => M.User.alias(bad)).toThrow(/is not a valid alias; use letters, digits and _/);
    expect(M.User.alias('author_2').username.toNode()).toBeDefined();
  });
});

describe('an explicit through model', () => {
  it('needs exactly one foreign key to each side: two to the target are refused on first use', () => {
    class Team extends model('edge_teams', { id: AutoField(), members: ManyToManyField(() => Player, { through: (): AnyModelClass => Seat }) }) {}
    class Player extends model('edge_players', { id: AutoField() }) {}
    class Seat extends model('edge_seats', {
      id: AutoField(),
      team: ForeignKeyField(() => Team),
      player: ForeignKeyField(() => Player),
      sub: ForeignKeyField(() => Player),
    }) {}
    void Seat;
    const team = new Team({ id: 1 });
    expect(() => team.members.sql()).toThrow(/Team\.members: the through model \w+ needs exactly one foreign key to Team and one to \w+/);
  });
});
