import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PostgresqlDatabase } from '@pewit/pg-backend';
import { useTestDatabase } from '@pewit/test-support';
import { enableWarnMode, type WarnMode } from '@pewit/warn-mode';
import { afterEach, describe, expect, it } from 'vitest';
import { type twitterModels, useTwitterDatabase } from './fixtures.js';
import { collectingLogger, markerLine } from './warn-mode-helpers.js';

const database = useTestDatabase();
let db: PostgresqlDatabase;
let models: ReturnType<typeof twitterModels>;
let warn: WarnMode | undefined;
const thisFile = basename(fileURLToPath(import.meta.url));

useTwitterDatabase(
  database.url,
  async ({ User, Tweet }) => {
    for (const username of ['ada', 'bob', 'cy', 'di', 'ed']) {
      const user = await User.create({ username });
      await Tweet.create({ user, content: `hi from ${username}` });
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

/** Five tweets, fresh from the database: their authors are not loaded yet. */
function freshTweets() {
  const { Tweet } = models;
  return Tweet.select().orderBy(Tweet.id);
}

const nPlusOneLines = (messages: string[]) => messages.filter((m) => m.includes('N+1 pattern'));

describe('warn mode finds N+1 patterns', () => {
  it('reports a loop of 5 lazy reads as one N+1 pattern with count 5', async () => {
    const logger = collectingLogger();
    warn = enableWarnMode(db, { logger });
    const names: string[] = [];
    for (const tweet of await freshTweets()) {
      names.push(tweet.user.username); // line-marker: loop-read
    }
    expect(names).toEqual(['ada', 'bob', 'cy', 'di', 'ed']);

    const report = warn.report();
    expect(report).toHaveLength(1);
    expect(report[0]).toMatchObject({ kind: 'lazy foreign key Tweet.user', count: 5, nPlusOne: true, maxRepeats: 5 });
    expect(report[0]!.callSite!.file.endsWith(thisFile)).toBe(true);
    expect(report[0]!.callSite!.line).toBe(markerLine(import.meta.url, 'loop-read'));
    expect(report[0]!.totalMs).toBeGreaterThan(0);
    expect(report[0]!.exampleSql).toContain('FROM "users"');

    // The first read is reported, then the pattern once; the other repeats are only counted.
    expect(logger.messages).toHaveLength(2);
    expect(logger.messages[0]).toContain('blocking evaluation: lazy foreign key Tweet.user');
    const [pattern] = nPlusOneLines(logger.messages);
    expect(pattern).toContain('lazy foreign key Tweet.user ran 3 times in a row');
    expect(pattern).toContain(`at ${report[0]!.location}`);
    expect(pattern).toContain('.join()');
  });

  it('respects nPlusOneThreshold', async () => {
    const logger = collectingLogger();
    warn = enableWarnMode(db, { logger, nPlusOneThreshold: 6 });
    for (const tweet of await freshTweets()) expect(tweet.user.username).toBeTypeOf('string');
    expect(warn.report()[0]).toMatchObject({ count: 5, nPlusOne: false, maxRepeats: 5 });
    expect(nPlusOneLines(logger.messages)).toEqual([]);
    expect(logger.messages).toHaveLength(1);
  });

  it('keeps call sites apart: the same SQL from two lines is two entries, not a pattern', async () => {
    const logger = collectingLogger();
    warn = enableWarnMode(db, { logger });
    const [a, b] = await freshTweets();
    expect(a!.user.username).toBe('ada'); // line-marker: site-a
    expect(b!.user.username).toBe('bob'); // line-marker: site-b
    const lines = warn
      .report()
      .map((s) => s.callSite!.line)
      .sort((x, y) => x - y);
    expect(lines).toEqual([markerLine(import.meta.url, 'site-a'), markerLine(import.meta.url, 'site-b')]);
    expect(warn.report().every((s) => s.count === 1 && !s.nPlusOne)).toBe(true);
    expect(logger.messages).toHaveLength(2);
  });

  it('keeps query shapes apart: one line running different SQL is two entries', async () => {
    const { Tweet, User } = models;
    const logger = collectingLogger();
    warn = enableWarnMode(db, { logger });
    const queries = [Tweet.select(), User.select(), Tweet.select(), User.select()];
    const counts = queries.map((q) => q.countSync());
    expect(counts).toEqual([5, 5, 5, 5]);
    const report = warn.report();
    expect(report).toHaveLength(2);
    expect(report.map((s) => s.count)).toEqual([2, 2]);
    expect(new Set(report.map((s) => s.location)).size).toBe(1);
  });

  it('starts a new burst after a pause longer than windowMs', async () => {
    const logger = collectingLogger();
    warn = enableWarnMode(db, { logger, windowMs: 0 });
    for (const tweet of await freshTweets()) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(tweet.user.username).toBeTypeOf('string');
    }
    expect(warn.report()[0]).toMatchObject({ count: 5, nPlusOne: false, maxRepeats: 1 });
    expect(logger.messages).toHaveLength(5);
  });

  it('reset() forgets the counts, so the next read is reported again', async () => {
    const logger = collectingLogger();
    warn = enableWarnMode(db, { logger });
    const tweets = await freshTweets();
    for (const tweet of tweets.slice(0, 4)) expect(tweet.user.username).toBeTypeOf('string');
    expect(warn.report()[0]!.count).toBe(4);
    warn.reset();
    expect(warn.report()).toEqual([]);
    const [again] = await freshTweets();
    expect(again!.user.username).toBe('ada');
    expect(warn.report()).toHaveLength(1);
    expect(warn.report()[0]!.count).toBe(1);
    expect(logger.messages).toHaveLength(3);
  });

  it('ignore leaves matching call sites alone and reports the others', async () => {
    const tweets = await freshTweets();
    const silent = collectingLogger();
    warn = enableWarnMode(db, { logger: silent, ignore: ['/no-such-folder/', new RegExp(`${thisFile.replaceAll('.', '\\.')}$`)] });
    expect(tweets[0]!.user.username).toBe('ada');
    expect(silent.messages).toEqual([]);
    expect(warn.report()).toEqual([]);
    warn.disable();

    const loud = collectingLogger();
    warn = enableWarnMode(db, { logger: loud, ignore: ['/no-such-folder/', /migrations\//] });
    expect(tweets[1]!.user.username).toBe('bob');
    expect(loud.messages).toHaveLength(1);
    warn.disable();

    // A string matches anywhere in the path.
    const byName = collectingLogger();
    warn = enableWarnMode(db, { logger: byName, ignore: [thisFile.slice(0, -3)] });
    expect(tweets[2]!.user.username).toBe('cy');
    expect(byName.messages).toEqual([]);
  });

  it('rejects a threshold that cannot describe a repeat', () => {
    expect(() => enableWarnMode(db, { nPlusOneThreshold: 1 })).toThrow(/nPlusOneThreshold must be an integer of at least 2/);
  });
});
