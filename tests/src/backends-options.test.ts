// Proves docs/backends.md claims the other backend tests leave open: a config that is not plain data, the pool's
// defaults, which statement_timeout the blocking connection gets, the pool's blocking path being one worker
// connection, connect(url)'s single-connection options and second argument, and a backend written as a Driver of
// its own (here over a plain pg.Client on the real server) getting events, error mapping and transactions from core.
import {
  AutoField,
  type Connection,
  connect,
  Database,
  type Driver,
  IntegerField,
  model,
  OperationalError,
  type RawResult,
  type Statement,
  sql,
  TextField,
  UniqueViolationError,
} from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';

const database = useTestDatabase();
const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});
function keep<T extends { close(): Promise<void> }>(db: T): T {
  opened.push(db);
  return db;
}

const setting = (db: Database, name: string) => db.executeSync(sql`SELECT current_setting(${name}) AS v`).rows[0]?.v;
const asyncSetting = async (db: Database, name: string) => (await db.execute(sql`SELECT current_setting(${name}) AS v`)).rows[0]?.v;

describe('backend options', () => {
  it('a config that is not plain data is refused by the constructor, naming the option; ssl may be an object', () => {
    const url = new URL(database.url());
    expect(() => new PostgresqlDatabase({ host: url.hostname, password: (() => 'pw') as unknown as string })).toThrow(
      new TypeError('PostgresqlDatabase: option "password" is not plain data; pewit passes the config to its blocking worker thread, so use plain values'),
    );
    expect(() => keep(new PostgresqlDatabase({ host: url.hostname, ssl: { rejectUnauthorized: false } }))).not.toThrow();
  });

  it('the pool defaults: max 10, idleTimeoutMillis 10 000, connectionTimeoutMillis 30 000, maxLifetimeSeconds 0', () => {
    const pool = keep(new PooledPostgresqlDatabase(database.url()));
    expect(pool.poolOptions).toEqual({ max: 10, idleTimeoutMillis: 10_000, connectionTimeoutMillis: 30_000, maxLifetimeSeconds: 0 });
    expect([pool.totalCount, pool.idleCount, pool.waitingCount]).toEqual([0, 0, 0]);
  });

  it('blockingTimeoutMillis is the blocking connection’s statement_timeout, unless statementTimeoutMillis sets one for all', async () => {
    const single = keep(new PostgresqlDatabase(database.url(), { blockingTimeoutMillis: 5_000 }));
    expect(setting(single, 'statement_timeout')).toBe('5s');
    expect(await asyncSetting(single, 'statement_timeout')).toBe('0');
    const pool = keep(new PooledPostgresqlDatabase(database.url(), { statementTimeoutMillis: 1_500, blockingTimeoutMillis: 5_000 }));
    expect(await asyncSetting(pool, 'statement_timeout')).toBe('1500ms');
    expect(setting(pool, 'statement_timeout')).toBe('1500ms');
  });

  it('on the pool, the blocking path is one worker connection, outside the pool', async () => {
    const pool = keep(new PooledPostgresqlDatabase(database.url(), { max: 3 }));
    const pid = () => pool.executeSync(sql`SELECT pg_backend_pid() AS pid`).rows[0]?.pid;
    const first = pid();
    expect([pid(), pid()]).toEqual([first, first]);
    expect(pool.totalCount).toBe(0);
    const asyncPids = await Promise.all([1, 2, 3].map(async () => (await pool.execute(sql`SELECT pg_backend_pid() AS pid, pg_sleep(0.02)`)).rows[0]?.pid));
    expect(asyncPids).not.toContain(first);
  });

  it('connect(url): postgres:// takes blockingTimeoutMillis and statementCacheSize; a second argument adds or overrides', async () => {
    const url = new URL(database.url());
    url.searchParams.set('blockingTimeoutMillis', '4000');
    url.searchParams.set('statementCacheSize', '0');
    const single = keep(await connect(url.toString()));
    expect(setting(single, 'statement_timeout')).toBe('4s');
    for (let i = 0; i < 3; i++) await single.execute(sql`SELECT ${i}::int AS n`);
    expect((await single.execute(sql`SELECT count(*)::int AS n FROM pg_prepared_statements`)).rows[0]?.n).toBe(0);

    const pooledUrl = new URL(database.url());
    pooledUrl.protocol = 'postgres+pool:';
    pooledUrl.searchParams.set('max', '7');
    const pool = keep((await connect(pooledUrl.toString(), { max: 2, idleTimeoutMillis: 0 })) as PooledPostgresqlDatabase);
    expect(pool.poolOptions).toMatchObject({ max: 2, idleTimeoutMillis: 0 });
  });

  it('blockingSpinMicros: 0 to 10 000, refused otherwise naming the option; answers and close() the same at both ends', async () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, 10_001]) {
      const message = `blockingSpinMicros must be a number from 0 (never busy-wait) to 10000, received ${String(bad)}`;
      expect(() => new PostgresqlDatabase(database.url(), { blockingSpinMicros: bad })).toThrow(new TypeError(message));
      expect(() => new PooledPostgresqlDatabase(database.url(), { blockingSpinMicros: bad })).toThrow(new TypeError(message));
    }
    const tooLong = new URL(database.url());
    tooLong.searchParams.set('blockingSpinMicros', '20000');
    await expect(connect(tooLong.toString())).rejects.toThrow('blockingSpinMicros must be a number from 0 (never busy-wait) to 10000, received 20000');
    const probe = keep(new PostgresqlDatabase(database.url()));
    const alive = async (pid: unknown) => (await probe.execute(sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ${pid}`)).rows[0]?.n;
    for (const spin of [0, 10_000]) {
      const url = new URL(database.url());
      url.searchParams.set('blockingSpinMicros', String(spin));
      const db = await connect(url.toString());
      const pid = db.executeSync(sql`SELECT pg_backend_pid() AS pid`).rows[0]?.pid;
      expect(db.executeSync(sql`SELECT ${spin}::int AS spin, ${'x'}::text AS t`).rows).toEqual([{ spin, t: 'x' }]);
      // Right after an answer: with 10 ms the worker is still looking for the next statement when close() is posted.
      await db.close();
      for (let i = 0; (await alive(pid)) !== 0 && i < 100; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await alive(pid)).toBe(0);
    }
  });

  it('connect(url) opens no connection, and refuses a string that is not a URL', async () => {
    const name = 'pewit-connect-lazy';
    const url = new URL(database.url());
    url.searchParams.set('application_name', name);
    const db = keep(await connect(url.toString()));
    const probe = keep(new PostgresqlDatabase(database.url()));
    const count = async () => (await probe.execute(sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = ${name}`)).rows[0]?.n;
    expect(await count()).toBe(0);
    await db.connect();
    expect(await count()).toBe(1);
    await expect(connect('postgres://user:pw@host:notaport/db')).rejects.toThrow(/connect\(\): ".*" is not a valid URL; expected e\.g\. postgres:\/\//);
  });
});

/** A backend of its own: one pg.Client, text cells per query, no blocking path. What docs/backends.md describes. */
class OneClientDriver implements Driver {
  readonly supportsConcurrentConnections = false;
  readonly released: (Error | undefined)[] = [];
  #client: pg.Client | undefined;
  #busy: Promise<void> = Promise.resolve();
  constructor(readonly url: string) {}

  async acquire() {
    let free!: () => void;
    const previous = this.#busy;
    this.#busy = new Promise<void>((resolve) => {
      free = resolve;
    });
    await previous;
    if (!this.#client) {
      this.#client = new pg.Client({ connectionString: this.url });
      await this.#client.connect();
    }
    const client = this.#client;
    return {
      free,
      processId: (client as unknown as { processID: number }).processID,
      query: async (statement: Statement): Promise<RawResult> => {
        const result = await client.query({
          text: statement.text,
          values: [...statement.values],
          rowMode: 'array',
          types: { getTypeParser: () => (text: string) => text },
        });
        return {
          command: result.command,
          rowCount: result.rowCount,
          fields: result.fields.map((f) => ({ name: f.name, typeId: f.dataTypeID })),
          rows: result.rows,
        };
      },
    };
  }

  release(connection: Connection, error?: Error): void {
    this.released.push(error);
    if (error) {
      void this.#client?.end().catch(() => undefined);
      this.#client = undefined;
    }
    (connection as Connection & { free?: () => void }).free?.();
  }

  sendBlocking(): RawResult {
    throw new Error('this backend has no blocking path');
  }

  async shutdown(): Promise<void> {
    await this.#busy;
    await this.#client?.end();
  }
}

describe('a backend of its own (a Driver passed to new Database)', () => {
  it('gets evaluation, conversion, events, error mapping and transactions from core; release gets an error only when broken', async () => {
    const driver = new OneClientDriver(database.url());
    const db = keep(new Database(driver));
    class Note extends model('own_backend_notes', { id: AutoField(), title: TextField({ unique: true }), rank: IntegerField() }, { database: db }) {}
    const log = recordQueries(db);
    await db.createTables([Note]);
    const note = await Note.create({ title: 'first', rank: 1 });
    expect(note.id).toBe(1);
    expect((await Note.select().where(Note.rank.eq(1))).map((n) => n.title)).toEqual(['first']);
    expect((await db.execute(sql`SELECT ${2}::int + 1 AS three, now() AS ts`)).rows[0]).toMatchObject({ three: 3, ts: expect.any(Date) });

    await expect(Note.create({ title: 'first', rank: 2 })).rejects.toBeInstanceOf(UniqueViolationError);
    expect(driver.released.at(-1)).toBeUndefined(); // a server error: the connection is kept

    await expect(
      db.atomic(async () => {
        await Note.create({ title: 'rolled back', rank: 3 });
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await Note.select().count()).toBe(1);
    log.stop();
    expect(log.sql).toContain('BEGIN');
    expect(log.sql).toContain('ROLLBACK');
    expect(log.events.every((e) => e.path === 'async')).toBe(true);

    // A killed session: OperationalError, the connection is released as broken, and the next query reconnects.
    const pid = (await db.execute(sql`SELECT pg_backend_pid() AS pid`)).rows[0]?.pid;
    const killer = keep(new PostgresqlDatabase(database.url()));
    const running = db.execute(sql`SELECT pg_sleep(30)`).catch((e: unknown) => e);
    for (let i = 0; i < 200; i++) {
      const { rows } = await killer.execute(sql`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ${pid} AND state = 'active'`);
      if (rows[0]?.n === 1) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await killer.execute(sql`SELECT pg_terminate_backend(${pid})`);
    expect(await running).toBeInstanceOf(OperationalError);
    expect(driver.released.at(-1)).toBeInstanceOf(OperationalError);
    expect((await db.execute(sql`SELECT pg_backend_pid() AS pid`)).rows[0]?.pid).not.toBe(pid);
  });
});
