import { BlockingEvaluationError, type EvaluationEvent, type QueryEvent, sql, UniqueViolationError } from '@pewit/core';
import type { PostgresqlDatabase } from '@pewit/pg-backend';
import { useTestDatabase } from '@pewit/test-support';
import { describe, expect, it } from 'vitest';
import { type twitterModels, useTwitterDatabase } from './fixtures.js';

const database = useTestDatabase();
let db: PostgresqlDatabase;
let User: ReturnType<typeof twitterModels>['User'];
let Tweet: ReturnType<typeof twitterModels>['Tweet'];

useTwitterDatabase(
  database.url,
  async ({ User, Tweet }) => {
    const alice = await User.create({ username: 'alice' });
    await Tweet.create({ user: alice, content: 'hi', likes: 3 });
  },
  (opened, m) => {
    db = opened;
    ({ User, Tweet } = m);
  },
);

/** Records evaluation and query events in the order they are emitted. */
function recordAll() {
  const order: string[] = [];
  const evaluations: EvaluationEvent[] = [];
  const queries: QueryEvent[] = [];
  const stops = [
    db.on('evaluation', (e) => {
      evaluations.push(e);
      order.push(`evaluation:${e.path}`);
    }),
    db.on('query', (e) => {
      queries.push(e);
      order.push(`query:${e.path}`);
    }),
  ];
  return {
    order,
    evaluations,
    queries,
    stop: () => {
      for (const s of stops) s();
    },
  };
}

describe('events of the blocking path', () => {
  it('for…of announces what evaluated, with its SQL, before the statement is sent on the blocking path', () => {
    const q = Tweet.select().where(Tweet.likes.gte(1));
    const log = recordAll();
    expect([...q]).toHaveLength(1);
    log.stop();
    expect(log.order).toEqual(['evaluation:blocking', 'query:blocking']);
    const [evaluation] = log.evaluations;
    expect(evaluation?.what).toEqual({ trigger: 'for…of', target: 'SelectQuery<Tweet>', alternative: 'for (const row of await query)' });
    expect(evaluation?.sql).toBe(q.sql().text);
    expect(evaluation?.params).toEqual([1]);
    expect(evaluation?.blockingAllowed).toBe(false);
    expect(log.queries[0]).toMatchObject({ sql: q.sql().text, params: [1], path: 'blocking', error: undefined });
    // durationMs spans the round trip: a statement the server holds for 50 ms cannot report less.
    const timing = recordAll();
    db.executeSync(sql`SELECT pg_sleep(0.05)`);
    timing.stop();
    expect(timing.queries[0]?.durationMs).toBeGreaterThanOrEqual(49);
  });

  it('a lazy foreign-key read is announced as lazy Tweet.user with the async alternative', async () => {
    const tweet = await Tweet.select().get();
    const log = recordAll();
    expect(tweet.user.username).toBe('alice');
    log.stop();
    expect(log.evaluations.map((e) => [e.path, e.what])).toEqual([
      ['blocking', { trigger: 'lazy foreign key', target: 'Tweet.user', alternative: "await tweet.load('user')" }],
    ]);
    expect(log.evaluations[0]?.sql).toMatch(/^SELECT .* FROM "users" WHERE "users"."id" = \$1/);
    expect(log.queries.map((e) => e.path)).toEqual(['blocking']);
  });

  it('names getSync, createSync and executeSync; the async forms are announced on the async path', async () => {
    const log = recordAll();
    User.getSync(User.username.eq('alice'));
    const bob = User.createSync({ username: 'bob' });
    User.update({ isAdmin: true }).where(User.id.eq(bob.id)).executeSync();
    await User.get(User.username.eq('bob'));
    log.stop();
    expect(log.evaluations.map((e) => [e.path, e.what.trigger, e.what.target])).toEqual([
      ['blocking', 'getSync', 'SelectQuery<User>'],
      ['blocking', 'createSync', 'User.createSync()'],
      ['blocking', 'executeSync', 'UpdateQuery<User>'],
      ['async', 'get', 'SelectQuery<User>'],
    ]);
    expect(log.evaluations[1]?.what.alternative).toBe('await User.create(…)');
    expect(log.queries.map((e) => e.path)).toEqual(['blocking', 'blocking', 'blocking', 'async']);
  });

  it('a failed blocking statement reports the mapped error on its query event and to onDone', () => {
    const done: [number, unknown][] = [];
    const stopDone = db.on('evaluation', (e) => e.onDone((ms, error) => done.push([ms, error])));
    const log = recordAll();
    expect(() => User.createSync({ username: 'alice' })).toThrow(UniqueViolationError);
    log.stop();
    stopDone();
    expect(log.queries).toHaveLength(1);
    expect(log.queries[0]?.path).toBe('blocking');
    expect(log.queries[0]?.error).toBeInstanceOf(UniqueViolationError);
    expect(done).toHaveLength(1);
    expect(done[0]?.[0]).toBeGreaterThanOrEqual(0);
    expect(done[0]?.[1]).toBeInstanceOf(UniqueViolationError);
  });

  it('a listener can refuse a blocking evaluation before anything is sent, and sees allowBlocking', async () => {
    // The count of users depends on which tests ran before; read it rather than assume it.
    const users = await User.select().count();
    const log = recordAll();
    const refuse = db.on('evaluation', (e) => {
      if (e.path === 'blocking' && !e.blockingAllowed) throw new BlockingEvaluationError(`refused ${e.what.trigger}`);
    });
    try {
      expect(() => User.select().countSync()).toThrow('refused countSync');
      expect(db.allowBlocking(() => User.select().countSync())).toBe(users);
    } finally {
      // A failed expectation must not leave the refusing listener on the shared database for the next tests.
      refuse();
      log.stop();
    }
    expect(log.evaluations.map((e) => e.blockingAllowed)).toEqual([false, true]);
    expect(log.queries).toHaveLength(1);
  });

  it('atomicSync reports its transaction control on the blocking path', () => {
    const log = recordAll();
    db.atomicSync(() => User.select().countSync());
    log.stop();
    expect(log.queries.map((e) => [e.path, e.sql.split(' ')[0]])).toEqual([
      ['blocking', 'BEGIN'],
      ['blocking', 'SELECT'],
      ['blocking', 'COMMIT'],
    ]);
  });
});

describe('which server ran a statement', () => {
  it('query events name the server, its address and database on both paths, as the server itself reports them', async () => {
    const log = recordAll();
    const asyncAnswer = await db.execute(sql`SELECT current_database() AS db, inet_server_port() AS port`);
    const blockingAnswer = db.executeSync(sql`SELECT current_database() AS db, inet_server_port() AS port`);
    log.stop();
    const url = new URL(database.url());
    for (const [event, answer] of [
      [log.queries[0], asyncAnswer],
      [log.queries[1], blockingAnswer],
    ] as const) {
      const row = answer.rows[0] as { db: string; port: number };
      expect(event).toMatchObject({ server: 'primary', serverAddress: url.hostname, serverPort: row.port, database: row.db });
    }
    expect(log.queries.map((e) => e.path)).toEqual(['async', 'blocking']);
  });
});
