// Proves docs/transactions.md "Blocking transactions": atomicSync runs the same transaction program as atomic, so the
// blocking path takes the isolation level and access mode (read back from the server) and retries real 40001s.
import { type Database, DatabaseError, ProgrammingError, SerializationError, sql } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const database = useTestDatabase();

const BACKENDS = [
  { name: 'PostgresqlDatabase', open: (url: string): Database => new PostgresqlDatabase(url) },
  { name: 'PooledPostgresqlDatabase', open: (url: string): Database => new PooledPostgresqlDatabase(url, { max: 2 }) },
];

describe.each(BACKENDS)('atomicSync on $name', (backend) => {
  let db: Database;
  /** Another database: its blocking connection is another session, which can change rows while `db` is inside atomicSync. */
  let other: Database;
  const table = `sync_counter_${backend.name.toLowerCase()}`;
  const counter = sql.identifier(table);

  beforeAll(() => {
    db = backend.open(database.url());
    other = new PostgresqlDatabase(database.url());
  });
  afterAll(async () => {
    await db.close();
    await other.close();
  });
  beforeEach(async () => {
    await db.execute(sql`DROP TABLE IF EXISTS ${counter}`);
    await db.execute(sql`CREATE TABLE ${counter} (id int PRIMARY KEY, amount int NOT NULL)`);
    await db.execute(sql`INSERT INTO ${counter} VALUES (1, 0)`);
  });

  const show = (setting: 'transaction_isolation' | 'transaction_read_only') =>
    db.executeSync(setting === 'transaction_isolation' ? sql`SHOW transaction_isolation` : sql`SHOW transaction_read_only`).rows[0]?.[setting];

  it('runs at the isolation level asked for, as the server reports it', () => {
    expect(show('transaction_isolation')).toBe('read committed');
    expect(db.atomicSync(() => show('transaction_isolation'), { isolationLevel: 'serializable' })).toBe('serializable');
    expect(db.atomicSync(() => show('transaction_isolation'), { isolationLevel: 'repeatable read' })).toBe('repeatable read');
    expect(db.atomicSync(() => show('transaction_read_only'), { readOnly: true })).toBe('on');
    // A savepoint takes no options: it runs at its transaction's level.
    expect(db.atomicSync(() => db.atomicSync(() => show('transaction_isolation')), { isolationLevel: 'serializable' })).toBe('serializable');
  });

  it('refuses an unknown isolation level before sending anything', () => {
    const log = recordQueries(db);
    expect(() => db.atomicSync(() => 1, { isolationLevel: 'chaos' as 'serializable' })).toThrow(/unknown isolation level "chaos"/);
    log.stop();
    expect(log.sql).toEqual([]);
  });

  /**
   * A serializable read-modify-write of row 1 that the other session changes between the read and the write on each
   * of the first `conflicts` attempts, so each of those attempts fails with a real 40001 on the blocking path.
   */
  function conflicted(conflicts: number, retries: number, nested = false) {
    let attempts = 0;
    const body = () => {
      attempts++;
      const read = Number(db.executeSync(sql`SELECT amount FROM ${counter} WHERE id = 1`).rows[0]?.amount);
      if (attempts <= conflicts) other.executeSync(sql`UPDATE ${counter} SET amount = amount + 100 WHERE id = 1`);
      db.executeSync(sql`UPDATE ${counter} SET amount = ${read + 1} WHERE id = 1`);
      return read + 1;
    };
    const run = () =>
      nested
        ? db.atomicSync(() => db.atomicSync(body, { retries }), { isolationLevel: 'serializable' })
        : db.atomicSync(body, { isolationLevel: 'serializable', retries });
    return { run, attempts: () => attempts };
  }

  it('retries a serialization failure: two conflicts, retries: 2, the third attempt commits', async () => {
    const log = recordQueries(db);
    const { run, attempts } = conflicted(2, 2);
    expect(run()).toBe(201);
    log.stop();
    expect(attempts()).toBe(3);
    expect(log.events.filter((e) => /^(BEGIN|COMMIT|ROLLBACK)/.test(e.sql)).map((e) => [e.path, e.sql])).toEqual([
      ...Array.from({ length: 2 }, () => [
        ['blocking', 'BEGIN ISOLATION LEVEL SERIALIZABLE'],
        ['blocking', 'ROLLBACK'],
      ]).flat(),
      ['blocking', 'BEGIN ISOLATION LEVEL SERIALIZABLE'],
      ['blocking', 'COMMIT'],
    ]);
    expect(log.events.filter((e) => e.error).map((e) => (e.error as DatabaseError).code)).toEqual(['40001', '40001']);
    expect((await db.execute(sql`SELECT amount FROM ${counter}`)).rows).toEqual([{ amount: 201 }]);
  });

  it('without retries (or once they are used up) the SerializationError propagates', async () => {
    const once = conflicted(1, 0);
    expect(once.run).toThrow(SerializationError);
    expect(once.attempts()).toBe(1);
    const exhausted = conflicted(10, 2);
    let error: unknown;
    try {
      exhausted.run();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SerializationError);
    expect((error as SerializationError).code).toBe('40001');
    expect(exhausted.attempts()).toBe(3);
    // Every attempt rolled back its own write; only the other session's four updates remain.
    expect((await db.execute(sql`SELECT amount FROM ${counter}`)).rows).toEqual([{ amount: 400 }]);
  });

  it('a nested atomicSync never retries: the failure aborted the whole transaction', () => {
    const { run, attempts } = conflicted(1, 5, true);
    expect(run).toThrow(SerializationError);
    expect(attempts()).toBe(1);
  });

  it('never retries other errors', () => {
    let attempts = 0;
    expect(() =>
      db.atomicSync(
        () => {
          attempts++;
          db.executeSync(sql`SELECT no_such_column FROM ${counter}`);
        },
        { isolationLevel: 'serializable', retries: 5 },
      ),
    ).toThrow(ProgrammingError);
    expect(attempts).toBe(1);
  });

  it('a COMMIT the server turned into ROLLBACK throws, as on the async path', async () => {
    let error: unknown;
    try {
      db.atomicSync(() => {
        db.executeSync(sql`UPDATE ${counter} SET amount = 5 WHERE id = 1`);
        expect(() => db.executeSync(sql`SELECT no_such_column FROM ${counter}`)).toThrow(ProgrammingError);
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).code).toBe('25P02');
    expect((await db.execute(sql`SELECT amount FROM ${counter}`)).rows).toEqual([{ amount: 0 }]);
    // The blocking session is usable again.
    expect(db.atomicSync(() => show('transaction_isolation'))).toBe('read committed');
  });
});
