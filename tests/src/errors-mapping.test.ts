// Proves the rows of docs/errors.md "From SQLSTATE to class" that errors-sqlstate.test.ts does not: 23P01, 53xxx,
// 58xxx, 28P01, 08xxx, the Node.js network codes, and mapDatabaseError itself.
import { randomBytes } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { DatabaseError, IntegrityError, mapDatabaseError, OperationalError, sql, UniqueViolationError } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { adminQuery, useTestDatabase } from '@pewit/test-support';
import { startRestartableServer } from '@pewit/test-support/restartable-server';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();

let db: PostgresqlDatabase;
beforeAll(() => {
  db = new PostgresqlDatabase(database.url());
});
afterAll(() => db.close());

/** What `work` rejected with; fails the test when it resolves. */
async function failure(work: () => PromiseLike<unknown>): Promise<DatabaseError> {
  try {
    await work();
  } catch (error) {
    return error as DatabaseError;
  }
  throw new Error('expected the statement to fail');
}

/** The first statement on a fresh database at `url`: connection errors surface here. */
async function firstStatement(url: string): Promise<DatabaseError> {
  const target = new PostgresqlDatabase(url);
  try {
    return await failure(() => target.execute(sql`SELECT 1`));
  } finally {
    await target.close().catch(() => undefined);
  }
}

function urlWith(url: string, parts: { host?: string; port?: number; user?: string; password?: string }): string {
  const u = new URL(url);
  if (parts.host !== undefined) u.hostname = parts.host;
  if (parts.port !== undefined) u.port = String(parts.port);
  if (parts.user !== undefined) u.username = parts.user;
  if (parts.password !== undefined) u.password = parts.password;
  return u.toString();
}

describe('SQLSTATE classes from a real server', () => {
  it('23P01 (exclusion constraint) → IntegrityError, none of its four subclasses', async () => {
    await db.execute(sql`CREATE TABLE bookings (room int, during int4range, EXCLUDE USING gist (during WITH &&))`);
    await db.execute(sql`INSERT INTO bookings VALUES (1, '[1,5)')`);
    const error = await failure(() => db.execute(sql`INSERT INTO bookings VALUES (2, '[3,8)')`));
    expect(error).toBeInstanceOf(IntegrityError);
    expect(error).not.toBeInstanceOf(UniqueViolationError);
    expect(error.constructor).toBe(IntegrityError);
    expect(error).toMatchObject({ code: '23P01', table: 'bookings', constraint: 'bookings_during_excl' });
  });

  it('58P01 (a file the server cannot find) → OperationalError', async () => {
    const error = await failure(() => db.execute(sql`SELECT pg_read_file('/nonexistent-pewit-file')`));
    expect(error).toBeInstanceOf(OperationalError);
    expect(error.code).toBe('58P01');
  });

  it('53300 (too many connections for a role with CONNECTION LIMIT 1) → OperationalError', async () => {
    const role = `pewit_limited_${randomBytes(4).toString('hex')}`;
    await adminQuery(database.url(), `CREATE ROLE ${role} LOGIN PASSWORD 'limited' CONNECTION LIMIT 1`);
    const holder = new pg.Client({ connectionString: urlWith(database.url(), { user: role, password: 'limited' }) });
    try {
      await holder.connect();
      const error = await firstStatement(urlWith(database.url(), { user: role, password: 'limited' }));
      expect(error).toBeInstanceOf(OperationalError);
      expect(error.code).toBe('53300');
      expect(error.message).toMatch(/too many connections for role/);
    } finally {
      await holder.end();
      await adminQuery(database.url(), `DROP ROLE ${role}`);
    }
  });

  it('28P01 (wrong password) → DatabaseError, not OperationalError', async () => {
    // The shared server may trust every login (DATABASE_URL); a private embedded server checks passwords.
    const server = await startRestartableServer();
    try {
      const error = await firstStatement(urlWith(server.url, { password: 'wrong' }));
      expect(error).toBeInstanceOf(DatabaseError);
      expect(error).not.toBeInstanceOf(OperationalError);
      expect(error.code).toBe('28P01');
    } finally {
      await server.destroy();
    }
  }, 60_000); // starting a private server takes seconds on a loaded machine

  it('anything else (22012 division by zero, 22P02 a bad cast) → DatabaseError itself, no subclass', async () => {
    for (const [statement, code] of [
      [sql`SELECT 1 / 0 AS n`, '22012'],
      [sql`SELECT 'x'::int AS n`, '22P02'],
    ] as const) {
      const error = await failure(() => db.execute(statement));
      expect(error.constructor).toBe(DatabaseError);
      expect(error.code).toBe(code);
    }
    // The session is kept: the server answered.
    expect((await db.execute(sql`SELECT 1 AS one`)).rows).toEqual([{ one: 1 }]);
  });

  it('other 57xxx (57P02 crash shutdown, 57P03 starting up) → OperationalError, not its 57014/57P01 subclasses', () => {
    for (const code of ['57P02', '57P03', '57000']) {
      const error = mapDatabaseError(Object.assign(new Error('the database system is starting up'), { code }));
      expect(error.constructor, code).toBe(OperationalError);
    }
  });

  it('08P01 → OperationalError (class 08 through mapDatabaseError: a real server gives it only on a broken protocol)', () => {
    const driverError = Object.assign(new pg.DatabaseError('invalid frontend message type 0', 0, 'error'), { code: '08P01', severity: 'FATAL' });
    const error = mapDatabaseError(driverError, 'SELECT 1');
    expect(error).toBeInstanceOf(OperationalError);
    expect(error).toMatchObject({ code: '08P01', sql: 'SELECT 1' });
    expect(error.cause).toBe(driverError);
  });
});

describe('Node.js network codes → OperationalError', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

  /** A local TCP server that does `onConnection` to every client; resolves to its port. */
  function tcpServer(onConnection: (socket: Socket) => void): Promise<number> {
    return new Promise((resolve) => {
      const server = createServer(onConnection);
      servers.push(server);
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  }

  it('ECONNREFUSED: nothing listens on the port', async () => {
    const port = await tcpServer(() => undefined);
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const error = await firstStatement(urlWith(database.url(), { port }));
    expect(error).toBeInstanceOf(OperationalError);
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('ECONNRESET: the peer resets the connection', async () => {
    const port = await tcpServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    const error = await firstStatement(urlWith(database.url(), { port }));
    expect(error).toBeInstanceOf(OperationalError);
    expect(error.code).toBe('ECONNRESET');
  });

  it('ENOTFOUND: a host name that cannot resolve (.invalid never does)', async () => {
    const error = await firstStatement(urlWith(database.url(), { host: 'nonexistent.invalid' }));
    expect(error).toBeInstanceOf(OperationalError);
    expect(error.code).toBe('ENOTFOUND');
  });

  // EPIPE and EHOSTUNREACH cannot be produced on demand without network namespaces (EPIPE races with ECONNRESET on
  // a reset socket), so these two pass errors shaped exactly as Node.js makes them through mapDatabaseError.
  it.each([
    ['EPIPE', { errno: -32, syscall: 'write' }, 'write EPIPE'],
    ['EHOSTUNREACH', { errno: -113, syscall: 'connect', address: '10.255.255.1', port: 5432 }, 'connect EHOSTUNREACH 10.255.255.1:5432'],
    ['ETIMEDOUT', { errno: -110, syscall: 'connect', address: '10.255.255.1', port: 5432 }, 'connect ETIMEDOUT 10.255.255.1:5432'],
  ])('%s through mapDatabaseError', (code, props, message) => {
    const nodeError = Object.assign(new Error(message), { code, ...props });
    const error = mapDatabaseError(nodeError);
    expect(error).toBeInstanceOf(OperationalError);
    expect(error).toMatchObject({ code, message });
    expect(error.cause).toBe(nodeError);
  });
});

describe('mapDatabaseError', () => {
  it('returns a pewit DatabaseError unchanged', () => {
    const mapped = mapDatabaseError(Object.assign(new Error('duplicate'), { code: '23505' }));
    expect(mapped).toBeInstanceOf(UniqueViolationError);
    expect(mapDatabaseError(mapped)).toBe(mapped);
  });

  it('maps a real driver error by its SQLSTATE and keeps table, constraint, detail and sql', async () => {
    const client = new pg.Client({ connectionString: database.url() });
    await client.connect();
    let driverError: unknown;
    try {
      await client.query('CREATE TABLE uniques (v int UNIQUE)');
      await client.query('INSERT INTO uniques VALUES (1), (1)');
    } catch (e) {
      driverError = e;
    } finally {
      await client.end();
    }
    const error = mapDatabaseError(driverError, 'INSERT INTO uniques VALUES (1), (1)');
    expect(error).toBeInstanceOf(UniqueViolationError);
    expect(error).toMatchObject({ code: '23505', table: 'uniques', constraint: 'uniques_v_key', schema: 'public', sql: 'INSERT INTO uniques VALUES (1), (1)' });
    expect((error as DatabaseError).detail).toBe('Key (v)=(1) already exists.');
    expect(error.cause).toBe(driverError);
  });

  it('a driver error without a code: OperationalError when it says the connection was lost, DatabaseError otherwise', () => {
    for (const message of [
      'Connection terminated unexpectedly',
      'Client was closed and is not queryable',
      'Connection ended',
      'timeout expired',
      'Query read timeout',
    ])
      expect(mapDatabaseError(new Error(message)), message).toBeInstanceOf(OperationalError);
    const other = mapDatabaseError(new Error('something else went wrong'));
    expect(other).toBeInstanceOf(DatabaseError);
    expect(other).not.toBeInstanceOf(OperationalError);
  });

  it('a codeless message about the connection with an unrelated SQLSTATE keeps the SQLSTATE class', () => {
    const error = mapDatabaseError(Object.assign(new Error('division by zero on connection'), { code: '22012' }));
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error).not.toBeInstanceOf(OperationalError);
    expect((error as DatabaseError).code).toBe('22012');
  });

  it('anything thrown that is not an Error becomes a DatabaseError with its text', () => {
    const error = mapDatabaseError('boom', 'SELECT 1');
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error).toMatchObject({ message: 'boom', sql: 'SELECT 1' });
  });
});
