import { AutoField, DatabaseError, model, OperationalError, sql, TextField } from '@pewit/core';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { adminQuery, useTestDatabase, withDatabase } from '@pewit/test-support';
import { usePgBouncer } from '@pewit/test-support/pgbouncer';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { bouncedDatabase, CLIENTS, SERVER_CONNECTIONS } from './pgbouncer-helpers.js';

// docs/scaling.md → PgBouncer, "what breaks without them": each setting the docs ask for, left out, and the error a
// user sees. This PgBouncer has no ignore_startup_parameters, as a stock pgbouncer.ini.
const database = useTestDatabase();
const bouncer = usePgBouncer({ poolMode: 'transaction', poolSize: SERVER_CONNECTIONS, ignoreStartupParameters: [] });

/** The error a call failed with (the test fails when it did not fail). */
async function failure(run: () => Promise<unknown> | unknown): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

describe.skipIf(bouncer.skipped)('behind PgBouncer without the settings docs/scaling.md asks for', () => {
  let db: PooledPostgresqlDatabase;
  beforeAll(() => {
    db = bouncedDatabase(bouncer, database.name());
  });
  afterAll(() => db.close());

  it('without ignore_startup_parameters = statement_timeout: the async path works, the blocking path fails at login, saying what to set', async () => {
    expect((await db.execute(sql`SELECT 1 AS one`)).rows).toEqual([{ one: 1 }]);
    const error = await failure(() => db.executeSync(sql`SELECT 1 AS one`));
    expect(error).toBeInstanceOf(OperationalError);
    expect(error.message).toMatch(/^unsupported startup parameter: statement_timeout \(PgBouncer refuses startup parameters it does not know/);
    expect(error.message).toContain('blockingTimeoutMillis');
    expect(error.message).toContain('add statement_timeout to ignore_startup_parameters in pgbouncer.ini');
  });

  it('without it, statementTimeoutMillis fails every pooled connection at login', async () => {
    const timed = new PooledPostgresqlDatabase(bouncer.url(database.name()), { statementCacheSize: 0, statementTimeoutMillis: 5_000 });
    try {
      const error = await failure(() => timed.execute(sql`SELECT 1 AS one`));
      expect(error).toBeInstanceOf(OperationalError);
      expect(error.message).toContain('unsupported startup parameter: statement_timeout');
      expect(error.message).toContain('statementTimeoutMillis');
      expect((error as OperationalError & { code?: string }).code).toBe('08P01');
    } finally {
      await timed.close();
    }
  });

  it(`with statementCacheSize set explicitly on PgBouncer 1.18: transactions fail with 26000 'prepared statement … does not exist', and server sessions keep other clients' statements`, async () => {
    const cached = new PooledPostgresqlDatabase(bouncer.url(database.name()), { max: CLIENTS, idleTimeoutMillis: 0, statementCacheSize: 100 });
    try {
      class Note extends model('notes', { id: AutoField(), body: TextField() }, { database: cached }) {}
      await cached.createTables([Note]);
      const outcomes = await Promise.allSettled(
        Array.from({ length: CLIENTS }, async (_, i) => {
          for (let round = 0; round < 3; round++) await cached.atomic(() => Note.select().where(Note.body.eq(`note ${i}`)));
        }),
      );
      const errors = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as Error & { code?: string }] : []));
      expect(errors.length).toBeGreaterThan(0);
      for (const error of errors) {
        expect(error).toBeInstanceOf(DatabaseError);
        expect(error.code).toBe('26000');
        expect(error.message).toMatch(/^prepared statement "pewit_[0-9a-f]{8}_\d+" does not exist$/);
      }
      // Statements prepared for one client stay on server sessions other clients get (until server_lifetime ends them).
      const left = await Promise.all(
        Array.from({ length: CLIENTS }, () =>
          db.execute(sql`SELECT (SELECT count(*)::int FROM pg_prepared_statements) AS prepared, pg_sleep(0.02)`).then((r) => r.rows[0]?.prepared as number),
        ),
      );
      expect(Math.max(...left)).toBeGreaterThan(0);
    } finally {
      await cached.close();
    }
  });

  it('a SET outside a transaction stays on a server connection that other clients get next', async () => {
    const setter = bouncedDatabase(bouncer, database.name(), { max: 1 });
    try {
      await setter.execute(sql`SET work_mem = '2MB'`);
    } finally {
      await setter.close();
    }
    const seen = await Promise.all(
      Array.from({ length: CLIENTS }, () => db.execute(sql`SELECT current_setting('work_mem') AS mem, pg_sleep(0.02)`).then((r) => r.rows[0]?.mem)),
    );
    expect(seen).toContain('2MB');
    await Promise.all(Array.from({ length: CLIENTS }, () => db.execute(sql`SELECT set_config('work_mem', '4MB', false), pg_sleep(0.02)`)));
  });

  it('a session advisory lock (what pewit migrate takes) outlives the client that took it', async () => {
    const locker = bouncedDatabase(bouncer, database.name(), { max: 1 });
    await locker.execute(sql`SELECT pg_advisory_lock(4242)`);
    await locker.close();
    // On a direct connection the lock ends with the session; here the session is PgBouncer's and lives on.
    const held = await adminQuery(
      withDatabase(inject('adminUrl'), database.name()),
      "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242 AND granted",
    );
    expect(held.rows[0].n).toBe(1);
    await adminQuery(
      withDatabase(inject('adminUrl'), 'postgres'),
      "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242",
    );
  });
});
