import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Database, sql } from '@pewit/core';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { recordQueries, runNode, useTestDatabase } from '@pewit/test-support';
import type { WarnMode, WarnModeLogger } from '@pewit/warn-mode';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const database = useTestDatabase();
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

describe('examples/quickstart (npm start)', () => {
  it('runs the whole tour against DATABASE_URL and exits 0 by itself', async () => {
    const result = await runNode(['examples/quickstart/dist/main.js'], { cwd: repoRoot, env: { DATABASE_URL: database.url() }, limitMillis: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    const out = result.stdout;
    // Piped, without a terminal: no ANSI codes and no carriage-return redraws.
    expect(out).not.toContain(String.fromCharCode(27));
    expect(out).not.toContain('\r');
    expect(out).toContain('User.createSync() created alice (Alice Liddell) with id 1, no await needed');
    expect(out).toContain('User.getSync(User.c.name.eq(…)) found alice: every column name works, even name');
    expect(out).toContain('seeding tweets 100% 2000/2000');
    expect(out).toContain('8 users and 2000 tweets inserted');
    expect(out).toContain('await popular.count() → 119 tweets with 95 likes or more');
    expect(out).toContain('grace: tweet #31 (100 likes)');
    expect(out).toContain('1 statement; reading tweet.user ran no query');
    expect(out).toContain('alice: 250 tweets');
    expect(out).toMatch(/2 statements \(counted with db\.on\('query'\)\) for 8 users/);
    expect(out).toMatch(/SAVEPOINT pewit_sp_1\n.*\n.*\n\s+ROLLBACK TO SAVEPOINT pewit_sp_1\n.*\n\s+COMMIT/);
    expect(out).toContain('saved: ivan, mallory; judy was rolled back with her savepoint');
    expect(out).toContain('streamed 2000 tweets');
    // The warn-mode report points at the handler's .ts line (source-mapped), then the fix reports nothing.
    expect(out).toMatch(
      /\[pewit warn mode\] blocking evaluation: lazy foreign key Tweet\.user blocked the event loop for [\d.]+ ms\n\s+at examples\/quickstart\/src\/sections\/handlers\.ts:9:\d+/,
    );
    expect(out).toContain("instead: await tweet.load('user')");
    expect(out).toContain('[pewit warn mode] N+1 pattern: lazy foreign key Tweet.user ran 3 times in a row');
    expect(out).toContain('warn.report(): lazy foreign key Tweet.user ran 5 times from examples/quickstart/src/sections/handlers.ts:9:');
    expect(out).toContain('warn mode reported nothing: no blocking evaluation left');
    expect(out.trimEnd().split('\n').at(-1)).toMatch(/^Tour complete\./);
  });
});

/** The built example's exports, typed here because the example ships no declarations. */
interface HttpApi {
  createServer(db: Database): Server;
  createSchema(db: Database): Promise<void>;
  developmentWarnMode(db: Database, logger: WarnModeLogger): Promise<WarnMode | undefined>;
}

describe('examples/http-api', () => {
  let db: PooledPostgresqlDatabase;
  let server: Server;
  let base: string;
  let warn: WarnMode;
  const warnings: string[] = [];

  beforeAll(async () => {
    // A computed specifier: the example is imported as built (dist), like a user of it would.
    const entry = new URL('../../examples/http-api/dist/index.js', import.meta.url).href;
    const api = (await import(entry)) as HttpApi;
    db = new PooledPostgresqlDatabase(database.url(), { max: 4 });
    await api.createSchema(db);
    const enabled = await api.developmentWarnMode(db, { warn: (message) => warnings.push(message) });
    if (!enabled) throw new Error('warn mode should be on outside production (NODE_ENV is not "production" under vitest)');
    warn = enabled;
    server = api.createServer(db);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    warn?.disable();
    if (server) await new Promise((resolve) => server.close(resolve));
    await db?.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  // Each test starts from empty tables, whatever ran before it; those that need rows post them with seed().
  beforeEach(async () => {
    await db.execute(sql`TRUNCATE tweets, users RESTART IDENTITY`);
  });
  async function seed() {
    for (const [path, body] of [
      ['/users', { username: 'ann' }],
      ['/users', { username: 'bob' }],
      ['/tweets', { userId: 1, content: 'hello', likes: 4 }],
      ['/tweets', { userId: 1, content: 'again' }],
    ] as const) {
      const response = await post(path, body);
      if (response.status !== 201) throw new Error(`seeding ${path} answered ${response.status}`);
    }
  }

  it('creates users and tweets (201) and lists users', async () => {
    const ann = await post('/users', { username: 'ann' });
    expect(ann.status).toBe(201);
    expect(await ann.json()).toEqual({ id: 1, username: 'ann' });
    expect((await post('/users', { username: 'bob' })).status).toBe(201);

    const tweet = await post('/tweets', { userId: 1, content: 'hello', likes: 4 });
    expect(tweet.status).toBe(201);
    expect(await tweet.json()).toEqual({ id: 1, userId: 1, content: 'hello', likes: 4 });
    expect((await post('/tweets', { userId: 1, content: 'again' })).status).toBe(201);

    const users = await fetch(`${base}/users`);
    expect(users.status).toBe(200);
    expect(users.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await users.json()).toEqual([
      { id: 1, username: 'ann' },
      { id: 2, username: 'bob' },
    ]);
  });

  it('answers 400 with the ValidationError message for invalid values, before any SQL', async () => {
    const log = recordQueries(db);
    const badLikes = await post('/tweets', { userId: 1, content: 'x', likes: '3' });
    expect(badLikes.status).toBe(400);
    expect(await badLikes.json()).toEqual({ error: 'Tweet.likes: expected an integer, received "3" (string)', field: 'likes' });
    const noUser = await post('/tweets', { content: 'x' });
    expect(noUser.status).toBe(400);
    expect(((await noUser.json()) as { error: string }).error).toMatch(/^Tweet\.user: /);
    const notJson = await fetch(`${base}/tweets`, { method: 'POST', body: '{oops' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: 'request body is not valid JSON' });
    log.stop();
    expect(log.count).toBe(0);
  });

  it('answers 409 on a unique violation and 422 for a missing user', async () => {
    await seed();
    const duplicateTweet = await post('/tweets', { userId: 1, content: 'hello' });
    expect(duplicateTweet.status).toBe(409);
    expect(await duplicateTweet.json()).toEqual({ error: 'already exists (tweets_user_id_content_key)' });
    const duplicateUser = await post('/users', { username: 'ann' });
    expect(duplicateUser.status).toBe(409);
    const missingUser = await post('/tweets', { userId: 999, content: 'hi' });
    expect(missingUser.status).toBe(422);
    const { rows } = await db.execute(sql`SELECT count(*)::int AS n FROM tweets`);
    expect(rows[0]?.n).toBe(2);
  });

  it('serves a user with their tweets in two statements, and warn mode reports nothing', async () => {
    await seed();
    warn.reset();
    warnings.length = 0;
    const log = recordQueries(db);
    const response = await fetch(`${base}/users/1/tweets`);
    log.stop();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      id: 1,
      username: 'ann',
      tweets: [
        { id: 1, userId: 1, content: 'hello', likes: 4, author: 'ann' },
        { id: 2, userId: 1, content: 'again', likes: 0, author: 'ann' },
      ],
    });
    expect(log.count).toBe(2);
    expect(log.events.every((e) => e.path === 'async')).toBe(true);
    expect(warnings).toEqual([]);
    expect(warn.report()).toEqual([]);

    // The same warn mode does report a blocking evaluation, so the silence above means something.
    db.executeSync(sql`SELECT 1`);
    expect(warn.report()).toHaveLength(1);
    expect(warnings).toHaveLength(1);
  });

  it('answers 404 for an unknown user or route', async () => {
    expect((await fetch(`${base}/users/77/tweets`)).status).toBe(404);
    const unknown = await fetch(`${base}/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'no route for GET /nope' });
  });
});
