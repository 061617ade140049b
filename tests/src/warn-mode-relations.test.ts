import { prefetch } from '@pewit/core';
import type { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { enableWarnMode, type WarnMode } from '@pewit/warn-mode';
import { afterEach, describe, expect, it } from 'vitest';
import { type twitterModels, useTwitterDatabase } from './fixtures.js';
import { collectingLogger, markerLine } from './warn-mode-helpers.js';

const database = useTestDatabase();
let db: PostgresqlDatabase;
let models: ReturnType<typeof twitterModels>;
let warn: WarnMode | undefined;

useTwitterDatabase(
  database.url,
  async ({ User, Tweet }) => {
    for (const name of ['ada', 'bob']) {
      const user = await User.create({ username: name });
      await Tweet.insertMany([1, 2, 3].map((likes) => ({ user, content: `${name} ${likes}`, likes })));
    }
  },
  (opened, m) => {
    db = opened;
    models = m;
  },
);
afterEach(() => {
  warn?.disable();
  warn = undefined;
});

/** `user.tweets`, the backref the fixture declares at run time. */
const tweetsOf = (user: object) => (user as { tweets: Iterable<{ content: string }> & PromiseLike<{ content: string }[]> }).tweets;

describe('warn mode and relations', () => {
  it('never reports relations loaded by prefetch, forward or backward', async () => {
    const { User, Tweet } = models;
    const logger = collectingLogger();
    warn = enableWarnMode(db, { logger });
    const tweets = await Tweet.select().prefetch(User);
    const users = await User.select().prefetch(Tweet);
    const log = recordQueries(db);
    const authors = tweets.map((t) => t.user.username);
    const contents = users.flatMap((u) => [...tweetsOf(u)].map((t) => t.content));
    log.stop();
    expect(new Set(authors)).toEqual(new Set(['ada', 'bob']));
    expect(contents).toHaveLength(6);
    expect(log.count).toBe(0);
    expect(logger.messages).toEqual([]);
    expect(warn.report()).toEqual([]);
  });

  it('never reports prefetch into loaded instances or awaiting a backref', async () => {
    const { User, Tweet } = models;
    const logger = collectingLogger();
    warn = enableWarnMode(db, { logger });
    const tweets = await Tweet.select();
    await prefetch(tweets, User);
    expect(tweets.every((t) => typeof t.user.username === 'string')).toBe(true);
    const [ada] = await User.select().where(User.username.eq('ada'));
    expect(await tweetsOf(ada!)).toHaveLength(3);
    expect(logger.messages).toEqual([]);
  });

  it('reports iterating a backref that was not prefetched, at the loop', async () => {
    const { User } = models;
    const logger = collectingLogger();
    warn = enableWarnMode(db, { logger });
    const [ada] = await User.select().where(User.username.eq('ada'));
    const seen: string[] = [];
    for (const tweet of tweetsOf(ada!)) seen.push(tweet.content); // line-marker: backref-loop
    expect(seen).toHaveLength(3);
    const [summary] = warn.report();
    expect(warn.report()).toHaveLength(1);
    expect(summary!.kind).toBe('for…of over SelectQuery<Tweet>');
    expect(summary!.callSite!.line).toBe(markerLine(import.meta.url, 'backref-loop'));
    expect(summary!.exampleSql).toMatch(/FROM "tweets" WHERE "tweets"\."user_id" = \$1/);
    expect(logger.messages).toHaveLength(1);
  });
});
