import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
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
const thisFile = basename(fileURLToPath(import.meta.url));

useTwitterDatabase(
  database.url,
  async ({ User, Tweet }) => {
    const ada = await User.create({ username: 'ada' });
    await Tweet.create({ user: ada, content: 'hello', likes: 1 });
    await Tweet.create({ user: ada, content: 'again', likes: 2 });
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

describe('warn mode reports blocking evaluations', () => {
  it('reports a lazy foreign key read once, with this test file, line and the async alternative', async () => {
    const { Tweet } = models;
    const logger = collectingLogger();
    warn = enableWarnMode(db, { logger });
    const [tweet] = await Tweet.select().where(Tweet.content.eq('hello'));
    const name = tweet!.user.username; // line-marker: lazy-read
    expect(name).toBe('ada');

    expect(logger.messages).toHaveLength(1);
    const [summary] = warn.report();
    expect(warn.report()).toHaveLength(1);
    expect(summary!.kind).toBe('lazy foreign key Tweet.user');
    expect(summary!.count).toBe(1);
    expect(summary!.nPlusOne).toBe(false);
    expect(summary!.callSite!.file.endsWith(`${thisFile}`)).toBe(true);
    expect(summary!.callSite!.line).toBe(markerLine(import.meta.url, 'lazy-read'));
    expect(summary!.callSite!.column).toBeGreaterThan(0);
    expect(summary!.location).toBe(`${summary!.callSite!.file}:${summary!.callSite!.line}:${summary!.callSite!.column}`);
    expect(summary!.exampleSql).toMatch(/^SELECT .* FROM "users" WHERE .*"users"\."id" = \$1/);
    expect(summary!.totalMs).toBeGreaterThan(0);

    const message = logger.messages[0]!;
    expect(message).toContain('blocking evaluation: lazy foreign key Tweet.user blocked the event loop for ');
    expect(message).toContain(`at ${summary!.location}`);
    expect(message).toContain(`SQL: ${summary!.exampleSql}`);
    expect(message).toContain("instead: await tweet.load('user')");
  });

  it('reports for…of over a query, naming the query and the await alternative', async () => {
    const { Tweet } = models;
    const logger = collectingLogger();
    warn = enableWarnMode(db, { logger });
    const contents: string[] = [];
    for (const tweet of Tweet.select().orderBy(Tweet.id)) contents.push(tweet.content); // line-marker: for-of
    expect(contents).toEqual(['hello', 'again']);

    expect(logger.messages).toHaveLength(1);
    expect(logger.messages[0]).toContain('for…of over SelectQuery<Tweet>');
    expect(logger.messages[0]).toContain('instead: for (const row of await query)');
    const [summary] = warn.report();
    expect(summary!.callSite!.file.endsWith(thisFile)).toBe(true);
    expect(summary!.callSite!.line).toBe(markerLine(import.meta.url, 'for-of'));
  });

  it('reports …Sync calls, each with its own call site', async () => {
    const { User, Tweet } = models;
    const logger = collectingLogger();
    warn = enableWarnMode(db, { logger });
    const count = Tweet.select().countSync(); // line-marker: count-sync
    const ada = User.getSync(User.username.eq('ada')); // line-marker: get-sync
    expect(count).toBe(2);
    expect(ada.username).toBe('ada');

    expect(logger.messages).toHaveLength(2);
    expect(logger.messages[0]).toContain('countSync() on SelectQuery<Tweet>');
    const byLine = new Map(warn.report().map((s) => [s.callSite!.line, s]));
    expect(byLine.get(markerLine(import.meta.url, 'count-sync'))?.kind).toBe('countSync() on SelectQuery<Tweet>');
    const get = byLine.get(markerLine(import.meta.url, 'get-sync'));
    expect(get?.kind).toMatch(/getSync/);
    expect(get?.exampleParams).toEqual(['ada', 1]);
  });

  it('report() gives one entry per call site, most frequent first, with its trigger and alternative', async () => {
    const { Tweet } = models;
    warn = enableWarnMode(db, { logger: collectingLogger() });
    expect(Tweet.select().countSync()).toBe(2); // line-marker: once
    for (let i = 0; i < 3; i++) expect(Tweet.select().firstSync()).not.toBeNull(); // line-marker: thrice
    const report = warn.report();
    expect(report.map((r) => [r.callSite?.line, r.count])).toEqual([
      [markerLine(import.meta.url, 'thrice'), 3],
      [markerLine(import.meta.url, 'once'), 1],
    ]);
    expect(report[1]).toMatchObject({ kind: 'countSync() on SelectQuery<Tweet>', trigger: 'countSync', alternative: 'await query.count()' });
  });

  it('says nothing inside db.allowBlocking()', async () => {
    const { Tweet } = models;
    const logger = collectingLogger();
    warn = enableWarnMode(db, { logger });
    const tweets = await Tweet.select();
    const queries = recordQueries(db);
    const names = db.allowBlocking(() => tweets.map((t) => t.user.username));
    const count = await db.allowBlocking(async () => Tweet.select().countSync());
    queries.stop();
    expect(names).toEqual(['ada', 'ada']);
    expect(count).toBe(2);
    expect(queries.count).toBe(3);
    expect(logger.messages).toEqual([]);
    expect(warn.report()).toEqual([]);
  });

  it('says nothing after disable(), and disable() twice is harmless', async () => {
    const { Tweet } = models;
    const logger = collectingLogger();
    const handle = enableWarnMode(db, { logger });
    handle.disable();
    handle.disable();
    const tweets = await Tweet.select();
    expect(tweets.map((t) => t.user.username)).toEqual(['ada', 'ada']);
    for (const _ of Tweet.select());
    expect(Tweet.select().countSync()).toBe(2);
    expect(logger.messages).toEqual([]);
    expect(handle.report()).toEqual([]);
  });

  it('never reports async evaluations: await query, load(), join-hydrated relations, writes', async () => {
    const { User, Tweet } = models;
    const logger = collectingLogger();
    warn = enableWarnMode(db, { logger });
    const queries = recordQueries(db);
    const [first] = await Tweet.select().orderBy(Tweet.id);
    const author = await first!.load('user');
    expect(author?.username).toBe('ada');
    expect(first!.user.username).toBe('ada'); // cached by load(): no evaluation
    const joined = await Tweet.select(Tweet, User).join(User);
    expect(joined.map((t) => t.user.username)).toEqual(['ada', 'ada']);
    expect(await Tweet.select().count()).toBe(2);
    const bob = await User.create({ username: 'bob' });
    await bob.deleteInstance();
    queries.stop();
    expect(queries.events.every((e) => e.path === 'async')).toBe(true);
    expect(queries.count).toBe(6);
    expect(logger.messages).toEqual([]);
    expect(warn.report()).toEqual([]);
  });

  it('shortens large parameters in reports instead of keeping whole values', async () => {
    const { User } = models;
    const logger = collectingLogger();
    warn = enableWarnMode(db, { logger });
    const long = 'x'.repeat(5000);
    const ids = Array.from({ length: 500 }, (_, i) => i + 1);
    expect(User.select().where(User.email.eq(long)).firstSync()).toBeNull();
    expect(User.select().where(User.id.in(ids)).countSync()).toBe(1);

    const [byName, byIds] = warn.report().sort((a, b) => a.exampleSql.length - b.exampleSql.length);
    const shortened = String(byName!.exampleParams[0]);
    expect(shortened.length).toBeLessThan(100);
    expect(shortened).toContain('(5000 chars)');
    expect(logger.messages.join('\n')).not.toContain(long);
    expect(JSON.stringify(byIds!.exampleParams).length).toBeLessThan(300);
    expect(logger.messages.join('\n')).toContain('more of 500');
  });
});
