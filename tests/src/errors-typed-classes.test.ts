import {
  AdminShutdownError,
  AutoField,
  DatabaseError,
  IntegerField,
  LockNotAvailableError,
  model,
  OperationalError,
  ProgrammingError,
  QueryCanceledError,
  sql,
} from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { useTestDatabase } from '@pewit/test-support';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();

const backends = {
  single: (url: string) => new PostgresqlDatabase(url),
  pooled: (url: string) => new PooledPostgresqlDatabase(url, { max: 3 }),
} as const;

/** A URL on a port where nothing listens: the connection is refused. */
function closedPortUrl(): string {
  const u = new URL(database.url());
  u.port = '1';
  u.hostname = '127.0.0.1';
  return u.toString();
}

describe.each(Object.keys(backends) as (keyof typeof backends)[])('typed errors (%s backend)', (kind) => {
  const opened: PostgresqlDatabase[] = [];
  const open = (url = database.url()) => {
    const db = backends[kind](url);
    opened.push(db);
    return db;
  };
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close()));
  });

  it('db.connect() to a refused port is an OperationalError with the driver error as cause', async () => {
    const db = open(closedPortUrl());
    const error = await db.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OperationalError);
    expect((error as OperationalError).cause).toBeInstanceOf(Error);
  });

  it('db.connect() to a missing database is a DatabaseError (3D000), not a plain Error', async () => {
    const u = new URL(database.url());
    u.pathname = '/no_such_database_here';
    const error = await open(u.toString())
      .connect()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).code).toBe('3D000');
  });

  it('NOWAIT on a locked row is LockNotAvailableError (55P03), an OperationalError', async () => {
    const db = open();
    class Job extends model(`jobs_${kind}`, { id: AutoField(), n: IntegerField() }, { database: db }) {}
    await db.createTables([Job]);
    const job = await Job.create({ n: 1 });
    const other = new pg.Client({ connectionString: database.url() });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT * FROM "jobs_${kind}" WHERE id = $1 FOR UPDATE`, [job.id]);
      const pidNow = async () => (await db.execute(sql`SELECT pg_backend_pid() AS pid`)).rows[0]?.pid as number;
      const pooled = db instanceof PooledPostgresqlDatabase ? db : undefined;
      const before = pooled ? pooled.totalCount : await pidNow();
      const error = await Job.select()
        .where(Job.id.eq(job.id))
        .forUpdate({ nowait: true })
        .get()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(LockNotAvailableError);
      expect(error).toBeInstanceOf(OperationalError);
      expect((error as LockNotAvailableError).code).toBe('55P03');
      expect((error as Error).name).toBe('LockNotAvailableError');
      // The session survives a lock refusal: it is kept (the same session on the single connection; on the pool,
      // no connection was destroyed), and the next query works.
      expect(pooled ? pooled.totalCount : await pidNow()).toBe(before);
      expect(await Job.select().count()).toBe(1);
    } finally {
      await other.query('ROLLBACK');
      await other.end();
    }
  });

  it('a statement timeout is QueryCanceledError (57014)', async () => {
    const db = open();
    const error = await db
      .atomic(async () => {
        await db.execute(sql`SET LOCAL statement_timeout = 50`);
        await db.execute(sql`SELECT pg_sleep(2)`);
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueryCanceledError);
    expect(error).toBeInstanceOf(OperationalError);
    expect((error as QueryCanceledError).code).toBe('57014');
  });

  it('a session killed by pg_terminate_backend is AdminShutdownError (57P01) or a lost connection', async () => {
    const db = open();
    const admin = new pg.Client({ connectionString: database.url() });
    await admin.connect();
    try {
      const pending = db
        .atomic(async () => {
          const [row] = (await db.execute(sql`SELECT pg_backend_pid() AS pid`)).rows as { pid: number }[];
          await admin.query('SELECT pg_terminate_backend($1)', [row?.pid]);
          await db.execute(sql`SELECT pg_sleep(1)`);
        })
        .catch((e: unknown) => e);
      const error = await pending;
      // Killed between statements: the next one may find the socket already closed ("not queryable"), so only the
      // class is fixed here; a kill during a statement follows expectKilledSession's stricter rule.
      expect(error).toBeInstanceOf(OperationalError);
      if ((error as OperationalError).code === '57P01') expect(error).toBeInstanceOf(AdminShutdownError);
      // The database recovers on a fresh connection.
      expect((await db.execute(sql`SELECT 1 AS one`)).rows).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
    }
  });

  it('db.execute with two statements and parameters says why and what to do', async () => {
    const db = open();
    const error = await db.execute(sql`SELECT ${1}::int AS a; SELECT ${2}::int AS b`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProgrammingError);
    expect((error as Error).message).toMatch(/one statement/);
    expect((error as Error).message).toMatch(/separate db\.execute/);
    // Without parameters the statements go as one simple query, which PostgreSQL accepts.
    await expect(db.execute(sql`SELECT 1 AS a; SELECT 2 AS b`)).resolves.toBeDefined();
  });
});
