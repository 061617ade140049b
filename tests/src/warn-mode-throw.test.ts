import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BlockingEvaluationError } from '@pewit/core';
import type { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { type BlockingReport, enableWarnMode, type WarnMode } from '@pewit/warn-mode';
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
    await Tweet.create({ user: ada, content: 'hello' });
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

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe("warn mode in 'throw' mode", () => {
  it('refuses a lazy foreign key read with BlockingEvaluationError before any SQL is sent', async () => {
    const { Tweet } = models;
    const logger = collectingLogger();
    warn = enableWarnMode(db, { mode: 'throw', logger });
    const [tweet] = await Tweet.select();
    const queries = recordQueries(db);
    const error = caught(() => tweet!.user); // line-marker: refused-read
    queries.stop();

    expect(queries.count).toBe(0);
    expect(error).toBeInstanceOf(BlockingEvaluationError);
    const refusal = error as BlockingEvaluationError;
    expect(refusal.message).toContain('lazy foreign key Tweet.user would block the event loop');
    expect(refusal.message).toContain("write `await tweet.load('user')` instead");
    expect(refusal.message).toContain('No SQL was sent');
    const report = refusal.report as BlockingReport;
    expect(report.kind).toBe('lazy foreign key Tweet.user');
    expect(report.sql).toMatch(/FROM "users"/);
    expect(report.durationMs).toBeUndefined();
    expect(report.callSite!.file.endsWith(thisFile)).toBe(true);
    expect(report.callSite!.line).toBe(markerLine(import.meta.url, 'refused-read'));
    expect(refusal.message).toContain(`at ${report.callSite!.location}`);
    expect(logger.messages).toEqual([]);
    expect(warn.report()[0]).toMatchObject({ kind: 'lazy foreign key Tweet.user', count: 1, totalMs: 0 });

    // Refused, so nothing was cached: the async form still works.
    expect((await tweet!.load('user'))?.username).toBe('ada');
  });

  it('refuses for…of and …Sync calls, and lets async evaluations through', async () => {
    const { Tweet, User } = models;
    warn = enableWarnMode(db, { mode: 'throw', logger: collectingLogger() });
    const queries = recordQueries(db);
    expect(() => {
      for (const _ of Tweet.select());
    }).toThrow(BlockingEvaluationError);
    expect(() => User.createSync({ username: 'nobody' })).toThrow(/User\.createSync\(\) would block the event loop/);
    expect(queries.count).toBe(0);
    expect(await Tweet.select().count()).toBe(1);
    expect(await User.select().where(User.username.eq('nobody')).count()).toBe(0);
    queries.stop();
  });

  it('lets blocking code run inside db.allowBlocking(), on ignored paths and after disable()', async () => {
    const { Tweet } = models;
    warn = enableWarnMode(db, { mode: 'throw', logger: collectingLogger() });
    expect(db.allowBlocking(() => Tweet.select().countSync())).toBe(1);
    warn.disable();

    warn = enableWarnMode(db, { mode: 'throw', ignore: [thisFile] });
    expect(Tweet.select().countSync()).toBe(1);
    warn.disable();

    expect(Tweet.select().countSync()).toBe(1);
  });
});
