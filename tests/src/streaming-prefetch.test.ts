import type { EvaluationEvent } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twitterModels } from './fixtures.js';

const database = useTestDatabase();
const USERS = 50;
const TWEETS = 1_000;
// Tweets come in runs of 20 per user, so a batch of 100 tweets (by id) belongs to 5 users of its own.
const PER_USER = TWEETS / USERS;

let db: PooledPostgresqlDatabase;
let M: ReturnType<typeof twitterModels>;

beforeAll(async () => {
  db = new PooledPostgresqlDatabase(database.url(), { max: 3 });
  M = twitterModels(db);
  await db.createTables([M.User, M.Tweet]);
  await M.User.insertMany(Array.from({ length: USERS }, (_, u) => ({ username: `user${u + 1}` })));
  await M.Tweet.insertMany(Array.from({ length: TWEETS }, (_, t) => ({ user: Math.floor(t / PER_USER) + 1, content: `tweet${t + 1}` })));
});
afterAll(() => db.close());

const isUsersPrefetch = (text: string) => text.includes('FROM "users"') && text.includes('= ANY($1)');

describe('iterator() with prefetch on PooledPostgresqlDatabase', () => {
  it('prefetches each batch’s users with one query per batch, before the batch’s rows are yielded', async () => {
    const { Tweet, User } = M;
    expect(db.supportsConcurrentConnections).toBe(true);
    const evaluations: EvaluationEvent[] = [];
    const stopEvaluations = db.on('evaluation', (e) => evaluations.push(e));
    const log = recordQueries(db);
    let i = 0;
    for await (const tweet of Tweet.select().orderBy(Tweet.id).prefetch(User).iterator({ batchSize: 100 })) {
      // The batch's prefetch already ran, and the next batch's has not.
      expect(log.sql.filter(isUsersPrefetch)).toHaveLength(Math.floor(i / 100) + 1);
      // Only the cursor's connection is out: the prefetch gave its own back.
      expect(db.totalCount - db.idleCount).toBe(1);
      const before = log.count;
      const user = tweet.user;
      expect(log.count).toBe(before);
      expect(user).toBeInstanceOf(User);
      expect(user.id).toBe(tweet.userId);
      expect(user.username).toBe(`user${Math.floor(i / PER_USER) + 1}`);
      i++;
    }
    log.stop();
    stopEvaluations();
    expect(i).toBe(TWEETS);
    const prefetches = log.events.filter((e) => isUsersPrefetch(e.sql));
    expect(prefetches).toHaveLength(10);
    // The stream's statement is one query event; nothing else ran.
    expect(log.count).toBe(11);
    expect(log.events.filter((e) => e.sql.includes('FROM "tweets"'))).toHaveLength(1);
    // Each prefetch asked for its own batch's 5 users only.
    prefetches.forEach((e, batch) => {
      expect([...(e.params[0] as unknown[])].map(Number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5].map((k) => batch * 5 + k));
    });
    // Every prefetch went through db.evaluate (what warn mode listens to).
    expect(evaluations.map((e) => e.what.target)).toEqual(['SelectQuery<Tweet>.iterator()', ...Array(10).fill('SelectQuery<Tweet>.iterator() prefetch')]);
    expect(db.idleCount).toBe(db.totalCount);
  });

  it('stops prefetching when the loop breaks and gives every connection back', async () => {
    const { Tweet, User } = M;
    const log = recordQueries(db);
    let seen = 0;
    for await (const tweet of Tweet.select().orderBy(Tweet.id).prefetch(User).iterator({ batchSize: 100 })) {
      expect(tweet.user.id).toBe(tweet.userId);
      if (++seen === 250) break;
    }
    expect(log.sql.filter(isUsersPrefetch)).toHaveLength(3);
    expect(log.count).toBe(4);
    expect(db.idleCount).toBe(db.totalCount);
    // Nothing was left running: later work sends only its own statement.
    expect(await Tweet.select().count()).toBe(TWEETS);
    expect(log.count).toBe(5);
    log.stop();
  });

  it('prefetches backward: each batch of users gets its tweets, and each tweet its user', async () => {
    const { Tweet, User } = M;
    const log = recordQueries(db);
    let seen = 0;
    for await (const user of User.select().orderBy(User.id).prefetch(Tweet.select().orderBy(Tweet.id)).iterator({ batchSize: 10 })) {
      const before = log.count;
      const tweets = [...(user as unknown as { tweets: Iterable<InstanceType<typeof Tweet>> }).tweets];
      expect(tweets.map((t) => t.content)).toEqual(Array.from({ length: PER_USER }, (_, k) => `tweet${seen * PER_USER + k + 1}`));
      for (const tweet of tweets) expect(tweet.user).toBe(user);
      expect(log.count).toBe(before);
      seen++;
    }
    log.stop();
    expect(seen).toBe(USERS);
    const prefetches = log.sql.filter((text) => text.includes('FROM "tweets"') && text.includes('= ANY($1)'));
    expect(prefetches).toHaveLength(5);
    expect(log.count).toBe(6);
    expect(db.idleCount).toBe(db.totalCount);
  });

  it('gives the connections back when a batch’s prefetch fails', async () => {
    const { Tweet, User } = M;
    const rows = Tweet.select().dicts().prefetch(User).iterator({ batchSize: 100 });
    await expect(rows.next()).rejects.toThrow(/prefetch\(\) needs model instances/);
    expect(db.idleCount).toBe(db.totalCount);
  });

  it('refuses inside atomic(): the cursor would hold the transaction’s only connection', async () => {
    const { Tweet, User } = M;
    const log = recordQueries(db);
    const count = await db.atomic(async () => {
      expect(() => Tweet.select().prefetch(User).iterator()).toThrow(TypeError);
      expect(() => Tweet.select().prefetch(User).iterator()).toThrow(/inside db\.atomic\(\).*paginate\(\).*prefetch\(rows/);
      // The transaction is untouched and goes on.
      return Tweet.select().count();
    });
    log.stop();
    expect(count).toBe(TWEETS);
    expect(log.sql).toEqual(['BEGIN', expect.stringContaining('count'), 'COMMIT']);
  });

  it('refuses on a pool of one connection', async () => {
    const single = new PooledPostgresqlDatabase(database.url(), { max: 1 });
    try {
      const { Tweet, User } = twitterModels(single);
      expect(single.supportsConcurrentConnections).toBe(false);
      expect(() => Tweet.select().prefetch(User).iterator()).toThrow(/only async connection.*PooledPostgresqlDatabase/);
    } finally {
      await single.close();
    }
  });
});

describe('iterator() with prefetch on PostgresqlDatabase', () => {
  let plain: PostgresqlDatabase;
  let P: ReturnType<typeof twitterModels>;
  beforeAll(() => {
    plain = new PostgresqlDatabase(database.url());
    P = twitterModels(plain);
  });
  afterAll(() => plain.close());

  it('refuses with a TypeError that says why and what to do, before sending anything', async () => {
    const { Tweet, User } = P;
    expect(plain.supportsConcurrentConnections).toBe(false);
    const log = recordQueries(plain);
    expect(() => Tweet.select().prefetch(User).iterator({ batchSize: 100 })).toThrow(TypeError);
    expect(() => Tweet.select().prefetch(User).iterator({ batchSize: 100 })).toThrow(
      /cannot prefetch on PostgresqlDatabase: the cursor holds its only async connection.*PooledPostgresqlDatabase.*paginate\(\).*prefetch\(rows/,
    );
    expect(log.count).toBe(0);
    // Without prefetch it streams as before.
    let n = 0;
    for await (const _ of Tweet.select().iterator({ batchSize: 400 })) n++;
    expect(n).toBe(TWEETS);
    log.stop();
  });
});
