import { AutoField, ForeignKeyField, model, OperationalError, sql, TextField } from '@pewit/core';
import type { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { useTestDatabase } from '@pewit/test-support';
import { usePgBouncer } from '@pewit/test-support/pgbouncer';
import { enableWarnMode } from '@pewit/warn-mode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bouncedDatabase, SERVER_CONNECTIONS } from './pgbouncer-helpers.js';
import { collectingLogger } from './warn-mode-helpers.js';

// docs/scaling.md → PgBouncer: the blocking path (its worker connection is one more PgBouncer client) and warn mode.
const database = useTestDatabase();
// The fixture's pgbouncer.ini has ignore_startup_parameters = statement_timeout, as the docs say to set.
const bouncer = usePgBouncer({ poolMode: 'transaction', poolSize: SERVER_CONNECTIONS });

function defineModels(db: PooledPostgresqlDatabase) {
  class Author extends model('authors', { id: AutoField(), handle: TextField() }, { database: db }) {}
  class Post extends model('posts', { id: AutoField(), author: ForeignKeyField(() => Author), title: TextField() }, { database: db }) {}
  return { Author, Post };
}

describe.skipIf(bouncer.skipped)('the blocking path and warn mode behind PgBouncer in transaction mode', () => {
  let db: PooledPostgresqlDatabase;
  let models: ReturnType<typeof defineModels>;

  beforeAll(async () => {
    db = bouncedDatabase(bouncer, database.name());
    models = defineModels(db);
    await db.createTables([models.Author, models.Post]);
    for (const name of ['ada', 'bob', 'cy', 'di', 'ed']) {
      const author = await models.Author.create({ handle: name });
      await models.Post.create({ author, title: `by ${name}` });
    }
  });
  afterAll(() => db.close());

  it('runs atomicSync with a rolled-back savepoint, and for…of over a query', () => {
    const { Author } = models;
    db.atomicSync(() => {
      Author.createSync({ handle: 'kept' });
      expect(() =>
        db.atomicSync(() => {
          Author.createSync({ handle: 'dropped' });
          throw new Error('inner abort');
        }),
      ).toThrow('inner abort');
    });
    const names: string[] = [];
    for (const author of Author.select().where(Author.handle.in(['kept', 'dropped']))) names.push(author.handle);
    expect(names).toEqual(['kept']);
    Author.delete().where(Author.handle.eq('kept')).executeSync();
  });

  it(`waits for a server connection like any client: while the thread's own ${SERVER_CONNECTIONS} open transactions hold them all, a blocking call fails at its deadline`, {
    timeout: 30_000,
  }, async () => {
    const short = bouncedDatabase(bouncer, database.name(), { blockingTimeoutMillis: 300 });
    const open: Awaited<ReturnType<typeof short.begin>>[] = [];
    try {
      // The worker is started first, so the deadline below has no start-up allowance.
      expect(short.executeSync(sql`SELECT 1 AS one`).rows).toEqual([{ one: 1 }]);
      for (let i = 0; i < SERVER_CONNECTIONS; i++) {
        const tx = await short.begin();
        open.push(tx);
        await tx.run(() => short.execute(sql`SELECT 1`));
      }
      // Those transactions cannot end while this thread sleeps in the blocking call: only the deadline ends it.
      expect(() => short.executeSync(sql`SELECT 2 AS two`)).toThrow(/its worker did not answer within 1300 ms/);
      for (const tx of open.splice(0)) await tx.commit();
      expect(short.executeSync(sql`SELECT 3 AS three`).rows).toEqual([{ three: 3 }]);
    } finally {
      for (const tx of open) await tx.rollback();
      await short.close();
    }
  });

  it('reports a loop of lazy foreign key reads as one N+1 pattern', async () => {
    const { Post } = models;
    const logger = collectingLogger();
    const warn = enableWarnMode(db, { logger });
    try {
      const names: string[] = [];
      for (const post of await Post.select().orderBy(Post.id)) names.push(post.author.handle);
      expect(names).toEqual(['ada', 'bob', 'cy', 'di', 'ed']);
      const report = warn.report();
      expect(report).toHaveLength(1);
      expect(report[0]).toMatchObject({ kind: 'lazy foreign key Post.author', count: 5, nPlusOne: true });
      expect(logger.messages.some((message) => message.includes('N+1 pattern'))).toBe(true);
    } finally {
      warn.disable();
    }
  });

  it('gives up on a blocking statement after blockingTimeoutMillis plus 1 s, since PgBouncer dropped its statement_timeout', { timeout: 30_000 }, async () => {
    const short = bouncedDatabase(bouncer, database.name(), { blockingTimeoutMillis: 300 });
    try {
      // Started first, so the deadline below has no start-up allowance; the server has no timeout of its own.
      expect(short.executeSync(sql`SELECT current_setting('statement_timeout') AS timeout`).rows).toEqual([{ timeout: '0' }]);
      let error: unknown;
      try {
        short.executeSync(sql`SELECT pg_sleep(3)`);
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(OperationalError);
      expect((error as Error).message).toMatch(/its worker did not answer within 1300 ms/);
      expect(short.executeSync(sql`SELECT 1 AS one`).rows).toEqual([{ one: 1 }]);
    } finally {
      await short.close();
    }
  });
});
