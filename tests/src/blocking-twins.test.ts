import {
  CheckViolationError,
  DatabaseError,
  ForeignKeyViolationError,
  fn,
  IntegerField,
  model,
  ProgrammingError,
  sql,
  TextField,
  UniqueViolationError,
} from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { twitterModels } from './fixtures.js';

const database = useTestDatabase();
let db: PostgresqlDatabase;
let User: ReturnType<typeof twitterModels>['User'];
let Tweet: ReturnType<typeof twitterModels>['Tweet'];

const json = (rows: readonly { toJSON(): unknown }[]) => rows.map((r) => r.toJSON());

beforeAll(() => {
  db = new PostgresqlDatabase(database.url());
  ({ User, Tweet } = twitterModels(db));
});
afterAll(() => db.close());

beforeEach(async () => {
  await db.dropTables([User, Tweet], { safe: true, cascade: true });
  await db.createTables([User, Tweet]);
  const alice = await User.create({ username: 'alice', email: 'a@example.com' });
  const bob = await User.create({ username: 'bob' });
  await Tweet.insertMany([
    { user: alice, content: 'one', likes: 1 },
    { user: alice, content: 'two', likes: 7 },
    { user: bob, content: 'three', likes: 12 },
  ]);
});

describe('select evaluations: each …Sync twin returns what await returns', () => {
  it('allSync and for…of return the same instances as await', async () => {
    const q = Tweet.select().where(Tweet.likes.gte(5)).orderBy(Tweet.id);
    const expected = json(await q);
    expect(expected).toHaveLength(2);
    expect(json(q.allSync())).toEqual(expected);
    expect(json([...q])).toEqual(expected);
    expect(q.allSync()[0]).toBeInstanceOf(Tweet);
    expect(json(q.executeSync())).toEqual(expected);
  });

  it('dicts() and tuples() come back the same on both paths', async () => {
    const q = Tweet.select(Tweet.content, Tweet.likes).orderBy(Tweet.likes.desc());
    expect(q.dicts().allSync()).toEqual(await q.dicts());
    expect(q.tuples().allSync()).toEqual(await q.tuples());
    expect(q.tuples().allSync()).toEqual([
      ['three', 12],
      ['two', 7],
      ['one', 1],
    ]);
  });

  it('firstSync, getSync and getOrNoneSync match first, get and getOrNone, found or not', async () => {
    const q = Tweet.select().orderBy(Tweet.likes.desc());
    expect(q.firstSync()?.toJSON()).toEqual((await q.first())?.toJSON());
    expect(q.getSync().toJSON()).toEqual((await q.get()).toJSON());
    expect(q.getOrNoneSync()?.toJSON()).toEqual((await q.getOrNone())?.toJSON());
    expect(q.firstSync()?.content).toBe('three');

    const none = Tweet.select().where(Tweet.likes.gt(1000));
    expect(none.firstSync()).toBeNull();
    expect(await none.first()).toBeNull();
    expect(none.getOrNoneSync()).toBeNull();
    const asyncError = await none.get().catch((e: unknown) => e);
    expect(asyncError).toBeInstanceOf(Tweet.DoesNotExist);
    expect(() => none.getSync()).toThrow(Tweet.DoesNotExist);
    expect(() => none.getSync()).toThrow((asyncError as Error).message);
  });

  it('countSync, existsSync and scalarSync match count, exists and scalar', async () => {
    const q = Tweet.select().where(Tweet.likes.gt(0));
    expect(q.countSync()).toBe(await q.count());
    expect(q.countSync()).toBe(3);
    expect(q.limit(2).countSync()).toBe(2);
    expect(q.existsSync()).toBe(true);
    expect(Tweet.select().where(Tweet.likes.gt(99)).existsSync()).toBe(await Tweet.select().where(Tweet.likes.gt(99)).exists());
    expect(Tweet.select().where(Tweet.likes.gt(99)).existsSync()).toBe(false);
    const max = Tweet.select(fn.max(Tweet.likes));
    expect(max.scalarSync()).toBe(await max.scalar());
    expect(max.scalarSync()).toBe(12);
  });

  it('the backref is a lazy query that for…of evaluates on the blocking path', async () => {
    const alice = User.getSync(User.username.eq('alice'));
    const log = recordQueries(db);
    const contents = [...(alice as unknown as { tweets: Iterable<InstanceType<typeof Tweet>> }).tweets].map((t) => t.content).sort();
    expect(contents).toEqual(['one', 'two']);
    expect(log.events.map((e) => e.path)).toEqual(['blocking']);
    log.stop();
  });
});

describe('write queries: executeSync returns what await returns', () => {
  it('insert gives the new key, insertMany the row count, returning() the rows', async () => {
    const idSync = User.insert({ username: 'carol' }).executeSync();
    const idAsync = await User.insert({ username: 'dave' });
    expect(typeof idSync).toBe('number');
    expect(idAsync).toBe((idSync as number) + 1);
    expect(User.insertSync({ username: 'erin' })).toBe((idSync as number) + 2);

    const alice = User.getSync(User.username.eq('alice'));
    expect(
      Tweet.insertMany([
        { user: alice, content: 'x' },
        { user: alice, content: 'y' },
      ]).executeSync(),
    ).toBe(
      await Tweet.insertMany([
        { user: alice, content: 'z' },
        { user: alice, content: 'w' },
      ]),
    );

    const returned = Tweet.insertMany([{ user: alice, content: 'r1', likes: 3 }])
      .returning(Tweet.content, Tweet.likes)
      .executeSync() as InstanceType<typeof Tweet>[];
    expect(returned.map((t) => [t.content, t.likes])).toEqual([['r1', 3]]);
  });

  it('update and delete give the rows affected on both paths', async () => {
    expect(
      Tweet.update({ likes: Tweet.likes.add(1) })
        .where(Tweet.likes.lt(10))
        .executeSync(),
    ).toBe(2);
    expect(await Tweet.update({ likes: Tweet.likes.add(1) }).where(Tweet.likes.lt(10))).toBe(2);
    expect(Tweet.select(Tweet.likes).orderBy(Tweet.likes).tuples().allSync()).toEqual([[3], [9], [12]]);
    expect(Tweet.delete().where(Tweet.likes.eq(3)).executeSync()).toBe(1);
    expect(await Tweet.delete().where(Tweet.likes.eq(9))).toBe(1);
    expect(Tweet.delete().where(Tweet.likes.eq(999)).executeSync()).toBe(0);
  });
});

describe('model statics and instances', () => {
  it('createSync, getSync, getByIdSync, getOrNoneSync match their async forms', async () => {
    const carol = User.createSync({ username: 'carol', email: 'c@example.com' });
    expect(carol).toBeInstanceOf(User);
    expect(carol.id).toBeTypeOf('number');
    expect(carol.isAdmin).toBe(false);
    const dave = await User.create({ username: 'dave', email: 'c@example.com' });
    expect(Object.keys(carol.toJSON())).toEqual(Object.keys(dave.toJSON()));

    expect(User.getSync(User.username.eq('carol')).toJSON()).toEqual((await User.get(User.username.eq('carol'))).toJSON());
    expect(User.getByIdSync(carol.id).toJSON()).toEqual((await User.getById(carol.id)).toJSON());
    expect(User.getByIdSync(carol.id).toJSON()).toEqual(carol.toJSON());
    expect(User.getOrNoneSync(User.username.eq('nobody'))).toBeNull();
    expect(User.getOrNoneSync(User.username.eq('carol'))?.toJSON()).toEqual((await User.getOrNone(User.username.eq('carol')))?.toJSON());
    expect(() => User.getByIdSync(999_999)).toThrow(User.DoesNotExist);
    await expect(User.getById(999_999)).rejects.toThrow(User.DoesNotExist);
  });

  it('saveSync inserts or updates only what changed; refreshSync and deleteInstanceSync', async () => {
    const fresh = new User({ username: 'frank' });
    expect(fresh.saveSync()).toBe(1);
    expect(fresh.id).toBeTypeOf('number');

    const log = recordQueries(db);
    fresh.email = 'f@example.com';
    expect(fresh.saveSync()).toBe(1);
    expect(log.events).toHaveLength(1);
    expect(log.events[0]?.path).toBe('blocking');
    expect(log.events[0]?.sql).toMatch(/^UPDATE "users" SET "email" = \$1 WHERE/);
    expect(fresh.saveSync()).toBe(await fresh.save()); // nothing changed: no statement, 0 rows on both paths
    expect(log.events).toHaveLength(1);
    log.stop();

    const copy = await User.getById(fresh.id);
    await User.update({ email: 'changed@example.com' }).where(User.id.eq(fresh.id));
    expect(copy.refreshSync()).toBe(copy);
    expect(copy.email).toBe('changed@example.com');
    expect((await fresh.refresh()).email).toBe('changed@example.com');

    expect(copy.deleteInstanceSync()).toBe(1);
    expect(User.getOrNoneSync(User.id.eq(fresh.id))).toBeNull();
    expect(await fresh.deleteInstance()).toBe(0);
  });

  it('a lazy foreign-key read runs one blocking query, then is cached on the instance', async () => {
    const tweet = await Tweet.select().where(Tweet.content.eq('three')).get();
    const log = recordQueries(db);
    expect(tweet.user.username).toBe('bob');
    expect(tweet.user).toBeInstanceOf(User);
    expect(log.events.map((e) => [e.path, e.sql.split(' ')[0]])).toEqual([['blocking', 'SELECT']]);
    expect(tweet.user.toJSON()).toEqual((await tweet.load('user')).toJSON());
    expect(log.count).toBe(1);
    log.stop();
  });
});

describe('database-level twins', () => {
  it('executeSync returns what execute returns', async () => {
    const q = sql`SELECT ${5}::int AS five, 'x'::text AS x, now() IS NOT NULL AS ok, ${10n}::bigint AS big`;
    const blocking = db.executeSync(q);
    const asynchronous = await db.execute(q);
    expect(blocking).toEqual(asynchronous);
    expect(blocking.rows).toEqual([{ five: 5, x: 'x', ok: true, big: asynchronous.rows[0]?.big }]);
    expect(blocking.fields).toEqual(['five', 'x', 'ok', 'big']);
  });

  it('createTablesSync and dropTablesSync do what createTables and dropTables do', async () => {
    class Note extends model('twin_notes', { title: TextField(), rank: IntegerField({ check: 'rank >= 0' }) }, { database: db }) {}
    const exists = () => db.executeSync(sql`SELECT to_regclass('twin_notes') IS NOT NULL AS present`).rows[0]?.present;
    db.createTablesSync([Note]);
    expect(exists()).toBe(true);
    db.createTablesSync([Note], { safe: true });
    expect(() => db.createTablesSync([Note])).toThrow(ProgrammingError);
    await expect(db.createTables([Note])).rejects.toThrow(ProgrammingError);
    expect(() => Note.createSync({ title: 'neg', rank: -1 })).toThrow(CheckViolationError);
    db.dropTablesSync([Note]);
    expect(exists()).toBe(false);
    db.dropTablesSync([Note], { safe: true });
    await db.createTables([Note]);
    expect(exists()).toBe(true);
    await db.dropTables([Note]);
    expect(exists()).toBe(false);
  });
});

describe('atomicSync', () => {
  it('commits when the function returns and returns its value', () => {
    const log = recordQueries(db);
    const id = db.atomicSync(() => User.createSync({ username: 'tx' }).id);
    expect(log.sql.map((s) => s.split(' ')[0])).toEqual(['BEGIN', 'INSERT', 'COMMIT']);
    expect(log.events.every((e) => e.path === 'blocking')).toBe(true);
    log.stop();
    expect(User.getByIdSync(id).username).toBe('tx');
  });

  it('rolls back when the function throws, and rethrows that error', async () => {
    const boom = new Error('boom');
    expect(() =>
      db.atomicSync(() => {
        User.createSync({ username: 'ghost' });
        throw boom;
      }),
    ).toThrow(boom);
    expect(await User.getOrNone(User.username.eq('ghost'))).toBeNull();
  });

  it('nests with savepoints: an inner failure rolls back only the inner block', async () => {
    const log = recordQueries(db);
    db.atomicSync(() => {
      User.createSync({ username: 'outer' });
      expect(() =>
        db.atomicSync(() => {
          User.createSync({ username: 'inner' });
          User.createSync({ username: 'alice' }); // unique violation
        }),
      ).toThrow(UniqueViolationError);
      db.atomicSync(() => User.createSync({ username: 'inner2' }));
    });
    expect(log.sql.filter((s) => /^(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)/.test(s))).toEqual([
      'BEGIN',
      'SAVEPOINT pewit_sync_sp_1',
      'ROLLBACK TO SAVEPOINT pewit_sync_sp_1',
      'SAVEPOINT pewit_sync_sp_1',
      'RELEASE SAVEPOINT pewit_sync_sp_1',
      'COMMIT',
    ]);
    log.stop();
    const names = (
      await User.select(User.username)
        .where(User.username.in(['outer', 'inner', 'inner2']))
        .tuples()
    )
      .flat()
      .sort();
    expect(names).toEqual(['inner2', 'outer']);
  });

  it('an outer failure rolls back the committed savepoints too', async () => {
    expect(() =>
      db.atomicSync(() => {
        db.atomicSync(() => User.createSync({ username: 'saved-inner' }));
        throw new Error('outer fails');
      }),
    ).toThrow('outer fails');
    expect(await User.getOrNone(User.username.eq('saved-inner'))).toBeNull();
  });

  it('refuses an async function, rolling back', async () => {
    expect(() => db.atomicSync((async () => undefined) as unknown as () => void)).toThrow(/synchronous function; use db.atomic\(\)/);
    expect(db.executeSync(sql`SELECT 1 AS one`).rows).toEqual([{ one: 1 }]);
  });
});

describe('the same error classes on both paths', () => {
  it('UniqueViolationError with table and constraint from createSync and create', async () => {
    const asyncError = (await User.create({ username: 'alice' }).catch((e: unknown) => e)) as UniqueViolationError;
    let blockingError: unknown;
    try {
      User.createSync({ username: 'alice' });
    } catch (e) {
      blockingError = e;
    }
    expect(asyncError).toBeInstanceOf(UniqueViolationError);
    expect(blockingError).toBeInstanceOf(UniqueViolationError);
    const pick = (e: unknown) => {
      const { code, table, constraint, message } = e as UniqueViolationError;
      return { code, table, constraint, message, name: (e as Error).name };
    };
    expect(pick(blockingError)).toEqual(pick(asyncError));
    expect(pick(blockingError)).toMatchObject({ code: '23505', table: 'users', constraint: expect.stringContaining('username') });
    expect((blockingError as Error).cause).toBeInstanceOf(Error);
  });

  it('ForeignKeyViolationError, ProgrammingError and DatabaseError alike', async () => {
    const fk = () => Tweet.insert({ user: 424_242, content: 'orphan' });
    expect(() => fk().executeSync()).toThrow(ForeignKeyViolationError);
    await expect(fk()).rejects.toThrow(ForeignKeyViolationError);

    const bad = sql`SELECT * FROM no_such_table`;
    expect(() => db.executeSync(bad)).toThrow(ProgrammingError);
    await expect(db.execute(bad)).rejects.toThrow(ProgrammingError);

    const divide = sql`SELECT 1 / 0 AS x`;
    let blocking: unknown;
    try {
      db.executeSync(divide);
    } catch (e) {
      blocking = e;
    }
    expect(blocking).toBeInstanceOf(DatabaseError);
    expect((blocking as DatabaseError).code).toBe('22012');
    await expect(db.execute(divide)).rejects.toMatchObject({ code: '22012', name: (blocking as Error).name });
  });
});
