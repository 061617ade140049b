import { AutoField, connect, model, sql, TextField } from '@pewit/core';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { useTestDatabase } from '@pewit/test-support';
import { usePgBouncer } from '@pewit/test-support/pgbouncer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bouncedDatabase, CLIENTS, SERVER_CONNECTIONS } from './pgbouncer-helpers.js';

// docs/scaling.md → PgBouncer: nothing a client does stays on a server connection for the next client.
const database = useTestDatabase();
const bouncer = usePgBouncer({ poolMode: 'transaction', poolSize: SERVER_CONNECTIONS });

/** What every server connection holds right now: 64 concurrent reads spread over all 5 of them. */
async function everyServerSession(db: PooledPostgresqlDatabase): Promise<{ pid: number; prepared: number }[]> {
  const rows = await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      const { rows } = await db.execute(sql`
        SELECT pg_backend_pid() AS pid, (SELECT count(*)::int FROM pg_prepared_statements) AS prepared, pg_sleep(0.02)`);
      return { pid: rows[0]?.pid as number, prepared: rows[0]?.prepared as number };
    }),
  );
  expect(new Set(rows.map((row) => row.pid)).size).toBe(SERVER_CONNECTIONS);
  return rows;
}

describe.skipIf(bouncer.skipped)('no session state leaks between clients behind PgBouncer', () => {
  let db: PooledPostgresqlDatabase;
  beforeAll(() => {
    db = bouncedDatabase(bouncer, database.name());
  });
  afterAll(() => db.close());

  it("keeps a transaction's isolation level, read-only mode and SET LOCAL inside it, while 32 other clients read the defaults", async () => {
    const inside: unknown[] = [];
    const outside: unknown[] = [];
    await Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        i % 2 === 0
          ? db.atomic(
              async () => {
                await db.execute(sql`SET LOCAL work_mem = '1MB'`);
                const { rows } = await db.execute(sql`
                  SELECT current_setting('transaction_isolation') AS iso, current_setting('transaction_read_only') AS ro,
                         current_setting('work_mem') AS mem, pg_sleep(0.005)`);
                inside.push(rows[0]);
              },
              { isolationLevel: 'serializable', readOnly: true },
            )
          : db
              .execute(sql`
                SELECT current_setting('transaction_isolation') AS iso, current_setting('transaction_read_only') AS ro,
                       current_setting('work_mem') AS mem, pg_sleep(0.005)`)
              .then(({ rows }) => outside.push(rows[0])),
      ),
    );
    expect(inside).toHaveLength(CLIENTS / 2);
    for (const row of inside) expect(row).toMatchObject({ iso: 'serializable', ro: 'on', mem: '1MB' });
    expect(outside).toHaveLength(CLIENTS / 2);
    for (const row of outside) expect(row).toMatchObject({ iso: 'read committed', ro: 'off', mem: '4MB' });
  });

  it('leaves no prepared statement on any server connection with the default statementCacheSize (a pooler is detected)', async () => {
    // Unset on purpose: the default, which each connection turns off once it sees PgBouncer answered its login.
    const defaults = new PooledPostgresqlDatabase(bouncer.url(database.name()), { max: CLIENTS, idleTimeoutMillis: 0 });
    try {
      expect(defaults.statementCacheSize).toBe(100);
      class Note extends model('notes', { id: AutoField(), body: TextField() }, { database: defaults }) {}
      await defaults.createTables([Note]);
      const errors: unknown[] = [];
      // Each text runs several times per connection, inside and outside transactions: a cache would prepare it.
      await Promise.all(
        Array.from({ length: CLIENTS }, async (_, i) => {
          try {
            for (let round = 0; round < 3; round++) {
              await Note.create({ body: `note ${i}` });
              await defaults.atomic(async () => {
                await Note.select().where(Note.body.eq(`note ${i}`));
                await Note.select().where(Note.id.gt(0)).limit(1);
              });
            }
          } catch (error) {
            errors.push(error);
          }
        }),
      );
      // The blocking connection's default cache is off too.
      for (let round = 0; round < 3; round++) expect(Note.select().where(Note.body.eq('note 1')).countSync()).toBe(3);
      expect(errors).toEqual([]);
      for (const session of await everyServerSession(defaults)) expect(session.prepared).toBe(0);
    } finally {
      await defaults.close();
    }
  });

  it('takes statementCacheSize=0 from a postgres+pool:// URL and keeps no prepared statement', async () => {
    const url = `${bouncer.url(database.name()).replace(/^postgres:/, 'postgres+pool:')}?max=${CLIENTS}&idleTimeoutMillis=0&statementCacheSize=0`;
    const viaUrl = (await connect(url)) as PooledPostgresqlDatabase;
    try {
      expect(viaUrl).toBeInstanceOf(PooledPostgresqlDatabase);
      expect(viaUrl.statementCacheSize).toBe(0);
      await Promise.all(
        Array.from({ length: CLIENTS }, (_, i) =>
          viaUrl.atomic(async () => {
            for (let round = 0; round < 3; round++) await viaUrl.execute(sql`SELECT ${i}::int AS i`);
          }),
        ),
      );
      for (const session of await everyServerSession(viaUrl)) expect(session.prepared).toBe(0);
    } finally {
      await viaUrl.close();
    }
  });
});
