import {
  AutoField,
  BooleanField,
  CharField,
  CheckViolationError,
  DatabaseError,
  DoesNotExist,
  ForeignKeyField,
  ForeignKeyViolationError,
  IntegerField,
  IntegrityError,
  model,
  NotNullViolationError,
  OperationalError,
  ProgrammingError,
  SerializationError,
  sql,
  TextField,
  UniqueViolationError,
} from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { useTestDatabase } from '@pewit/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectKilledSession } from './killed-session.js';

const database = useTestDatabase();

function defineModels(db: PostgresqlDatabase) {
  class User extends model('users', { id: AutoField(), username: CharField({ maxLength: 50, unique: true }) }, { database: db }) {}
  class Tweet extends model(
    'tweets',
    {
      id: AutoField(),
      user: ForeignKeyField(() => User),
      content: TextField(),
      likes: IntegerField({ default: 0, check: 'likes >= 0' }),
    },
    { database: db },
  ) {}
  class Doctor extends model('doctors', { id: AutoField(), onCall: BooleanField() }, { database: db }) {}
  class Ghost extends model('ghosts', { id: AutoField() }, { database: db }) {}
  return { User, Tweet, Doctor, Ghost };
}

let db: PostgresqlDatabase;
let other: PostgresqlDatabase;
let m: ReturnType<typeof defineModels>;
let m2: ReturnType<typeof defineModels>;

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  other = new PostgresqlDatabase(database.url());
  m = defineModels(db);
  m2 = defineModels(other);
  await db.createTables([m.User, m.Tweet, m.Doctor]);
  await m.User.create({ username: 'alice' });
});
afterAll(async () => {
  await db.close();
  await other.close();
});

async function failure(work: PromiseLike<unknown> | (() => unknown)): Promise<DatabaseError> {
  try {
    await (typeof work === 'function' ? work() : work);
  } catch (error) {
    return error as DatabaseError;
  }
  throw new Error('expected the statement to fail');
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Waits until a statement matching `pattern` is running on the server, and returns its backend pid. */
async function runningBackend(pattern: string): Promise<number> {
  const client = new pg.Client({ connectionString: database.url() });
  await client.connect();
  try {
    for (;;) {
      const { rows } = await client.query(`SELECT pid FROM pg_stat_activity WHERE query LIKE $1 AND state = 'active' AND pid <> pg_backend_pid()`, [pattern]);
      if (rows[0]) return rows[0].pid as number;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await client.end();
  }
}

describe('integrity errors (class 23) carry table, column and constraint', () => {
  it('23505 → UniqueViolationError', async () => {
    const error = await failure(m.User.create({ username: 'alice' }));
    expect(error).toBeInstanceOf(UniqueViolationError);
    expect(error).toBeInstanceOf(IntegrityError);
    expect(error).toBeInstanceOf(DatabaseError);
    expect(error.name).toBe('UniqueViolationError');
    expect(error.message).toBe('duplicate key value violates unique constraint "users_username_key"');
    expect(error.column).toBeUndefined();
    expect(error).toMatchObject({ code: '23505', table: 'users', constraint: 'users_username_key', schema: 'public' });
    expect(error.detail).toBe('Key (username)=(alice) already exists.');
    expect(error.sql).toMatch(/^INSERT INTO "users"/);
    expect((error.cause as { code?: string }).code).toBe('23505');
    expect(error.cause).toBeInstanceOf(pg.DatabaseError);
  });

  it('23505 through the blocking path keeps the same details', () => {
    let error: unknown;
    try {
      m.User.createSync({ username: 'alice' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UniqueViolationError);
    expect(error).toMatchObject({ code: '23505', table: 'users', constraint: 'users_username_key' });
  });

  it('23503 → ForeignKeyViolationError', async () => {
    const error = await failure(m.Tweet.create({ user: 987654, content: 'x' }));
    expect(error).toBeInstanceOf(ForeignKeyViolationError);
    expect(error).toMatchObject({ code: '23503', table: 'tweets', constraint: 'tweets_user_id_fkey' });
    expect(error.detail).toMatch(/Key \(user_id\)=\(987654\) is not present in table "users"/);
  });

  it('23502 → NotNullViolationError names the column', async () => {
    const alice = await m.User.get(m.User.username.eq('alice'));
    await m.Tweet.create({ user: alice, content: 'hello' });
    // A raw SQL value bypasses validation, so the server is the one refusing it.
    const error = await failure(async () => await m.Tweet.update({ content: sql`NULL` }));
    expect(error).toBeInstanceOf(NotNullViolationError);
    expect(error).toMatchObject({ code: '23502', table: 'tweets', column: 'content' });
  });

  it('23514 → CheckViolationError names the constraint', async () => {
    const error = await failure(m.Tweet.create({ user: 1, content: 'x', likes: -1 }));
    expect(error).toBeInstanceOf(CheckViolationError);
    expect(error).toMatchObject({ code: '23514', table: 'tweets', constraint: 'tweets_likes_check' });
  });
});

describe('serialization failures (class 40) → SerializationError', () => {
  it('40001: write skew between two SERIALIZABLE transactions on two connections', async () => {
    await m.Doctor.insertMany([{ onCall: true }, { onCall: true }]);
    const firstRead = deferred();
    const secondRead = deferred();
    const first = db.atomic(
      async () => {
        await m.Doctor.select().where(m.Doctor.onCall.eq(true)).count();
        firstRead.resolve();
        await secondRead.promise;
        await m.Doctor.update({ onCall: false }).where(m.Doctor.id.eq(1));
      },
      { isolationLevel: 'serializable' },
    );
    const second = other.atomic(
      async () => {
        await firstRead.promise;
        await m2.Doctor.select().where(m2.Doctor.onCall.eq(true)).count();
        secondRead.resolve();
        await first;
        await m2.Doctor.update({ onCall: false }).where(m2.Doctor.id.eq(2));
      },
      { isolationLevel: 'serializable' },
    );
    await first;
    const error = await failure(second);
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.code).toBe('40001');
    expect((error.cause as { code?: string }).code).toBe('40001');
    expect(await m.Doctor.select().where(m.Doctor.onCall.eq(true)).count()).toBe(1);
  });

  it('40P01: a real deadlock between two connections', async () => {
    const firstLocked = deferred();
    const secondLocked = deferred();
    const lock = async (target: PostgresqlDatabase, models: typeof m, mine: number, theirs: number, locked: () => void, wait: Promise<void>) => {
      await target.execute(sql`SET LOCAL deadlock_timeout = '20ms'`);
      await models.Doctor.update({ onCall: true }).where(models.Doctor.id.eq(mine));
      locked();
      await wait;
      await models.Doctor.update({ onCall: true }).where(models.Doctor.id.eq(theirs));
    };
    const outcomes = await Promise.allSettled([
      db.atomic(() => lock(db, m, 1, 2, firstLocked.resolve, secondLocked.promise)),
      other.atomic(() => lock(other, m2, 2, 1, secondLocked.resolve, firstLocked.promise)),
    ]);
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.reason).toBeInstanceOf(SerializationError);
    expect(failed[0]?.reason.code).toBe('40P01');
  });
});

describe('programming errors (class 42) → ProgrammingError', () => {
  it('42601: a syntax error', async () => {
    const error = await failure(db.execute(sql`SELEC 1`));
    expect(error).toBeInstanceOf(ProgrammingError);
    expect(error).toMatchObject({ code: '42601', sql: 'SELEC 1' });
  });

  it('42P01: a table that does not exist; also on the blocking path', async () => {
    const error = await failure(m.Ghost.select());
    expect(error).toBeInstanceOf(ProgrammingError);
    expect(error.code).toBe('42P01');
    expect(error.message).toMatch(/relation "ghosts" does not exist/);
    const blocking = await failure(() => m.Ghost.select().allSync());
    expect(blocking).toBeInstanceOf(ProgrammingError);
    expect(blocking.code).toBe('42P01');
  });

  it('42703: a column that does not exist', async () => {
    const error = await failure(db.execute(sql`SELECT no_such_column FROM users`));
    expect(error).toBeInstanceOf(ProgrammingError);
    expect(error.code).toBe('42703');
  });
});

describe('operational errors → OperationalError', () => {
  it('57014: a statement cancelled with pg_cancel_backend', async () => {
    const running = failure(db.execute(sql`SELECT pg_sleep(30) AS cancel_me`));
    const pid = await runningBackend('SELECT pg_sleep(30) AS cancel_me%');
    await other.execute(sql`SELECT pg_cancel_backend(${pid})`);
    const error = await running;
    expect(error).toBeInstanceOf(OperationalError);
    expect(error.code).toBe('57014');
    expect(error.message).toMatch(/canceling statement due to user request/);
    // docs/errors.md: after a QueryCanceledError the connection is discarded, as for any OperationalError.
    const { rows } = await db.execute(sql`SELECT pg_backend_pid() AS pid`);
    expect(rows[0]?.pid).not.toBe(pid);
  });

  it('57014: statement_timeout', async () => {
    const error = await failure(
      db.atomic(async () => {
        await db.execute(sql`SET LOCAL statement_timeout = 50`);
        await db.execute(sql`SELECT pg_sleep(30)`);
      }),
    );
    expect(error).toBeInstanceOf(OperationalError);
    expect(error.code).toBe('57014');
  });

  it('57P01: the connection is killed mid-statement; the next statement reconnects', async () => {
    const running = failure(db.execute(sql`SELECT pg_sleep(30) AS kill_me`));
    const pid = await runningBackend('SELECT pg_sleep(30) AS kill_me%');
    await other.execute(sql`SELECT pg_terminate_backend(${pid})`);
    const error = await running;
    // The same race as on the blocking path (docs/backends.md): 57P01, or the lost connection when its close is read first.
    expectKilledSession(error);
    expect(error.cause).toBeInstanceOf(Error);
    const { rows } = await db.execute(sql`SELECT pg_backend_pid() AS pid`);
    expect(rows[0]?.pid).not.toBe(pid);
  });
});

// docs/errors.md "Outside a transaction": a server error means the server answered, so the connection is kept.
describe('after a server error outside a transaction', () => {
  const backendPid = async () => (await db.execute(sql`SELECT pg_backend_pid() AS pid`)).rows[0]?.pid as number;
  const blockingPid = () => db.executeSync(sql`SELECT pg_backend_pid() AS pid`).rows[0]?.pid as number;

  it('the next statement runs on the same session, on the async and on the blocking connection', async () => {
    const before = await backendPid();
    expect(await failure(m.User.create({ username: 'alice' }))).toBeInstanceOf(UniqueViolationError);
    expect(await failure(db.execute(sql`SELECT * FROM no_such_table_here`))).toBeInstanceOf(ProgrammingError);
    expect(await backendPid()).toBe(before);
    const dave = await m.User.create({ username: 'dave-after-error' });
    expect(dave.id).toBeTypeOf('number');

    const blockingBefore = blockingPid();
    expect(await failure(() => m.User.createSync({ username: 'alice' }))).toBeInstanceOf(UniqueViolationError);
    expect(blockingPid()).toBe(blockingBefore);
    expect(m.User.createSync({ username: 'erin-after-error' }).id).toBeTypeOf('number');
  });
});

describe('DoesNotExist', () => {
  it('is per model, names the model and shows the SQL', async () => {
    const error = await m.User.get(m.User.username.eq('nobody')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(m.User.DoesNotExist);
    expect(error).toBeInstanceOf(DoesNotExist);
    expect(error).not.toBeInstanceOf(m.Tweet.DoesNotExist);
    const message = (error as Error).message;
    expect(message).toMatch(/^User /);
    expect(message).toContain('SELECT "users"."id", "users"."username" FROM "users" WHERE "users"."username" = $1 LIMIT $2');
    expect(message).toContain('"nobody"');
    expect((error as DoesNotExist).sql).toMatch(/^SELECT/);
    expect((error as Error).name).toBe('User.DoesNotExist');
    expect(() => m.Tweet.getByIdSync(424242)).toThrow(m.Tweet.DoesNotExist);
  });
});
