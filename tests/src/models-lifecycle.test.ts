import {
  AutoField,
  BigIntegerField,
  BooleanField,
  CharField,
  DateTimeField,
  ForeignKeyField,
  ForeignKeyViolationError,
  IntegerField,
  model,
  sql,
  TextField,
  ValidationError,
} from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { adminQuery, recordQueries, useTestDatabase } from '@pewit/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();
let stampCalls = 0;

function defineModels(db: PostgresqlDatabase) {
  class User extends model(
    'users',
    {
      id: AutoField(),
      username: CharField({ maxLength: 50, unique: true }),
      isAdmin: BooleanField({ default: false }),
      visits: BigIntegerField({ default: 0n }),
      joinedAt: DateTimeField({
        default: () => {
          stampCalls++;
          return new Date(Date.UTC(2020, 0, 1, 0, 0, 0, stampCalls));
        },
      }),
    },
    { database: db },
  ) {
    get label() {
      return `@${this.username}`;
    }
  }
  class Tweet extends model('tweets', { id: AutoField(), user: ForeignKeyField(() => User), content: TextField() }, { database: db }) {}
  class Like extends model('likes', { id: AutoField(), tweet: ForeignKeyField(() => Tweet), liker: ForeignKeyField(() => User) }, { database: db }) {}
  class Profile extends model('profiles', { id: AutoField(), user: ForeignKeyField(() => User, { null: true }), bio: TextField() }, { database: db }) {}
  class Category extends model('categories', { id: AutoField(), parent: ForeignKeyField('self', { null: true }), title: TextField() }, { database: db }) {}
  class Tag extends model(
    'tags',
    { id: AutoField(), label: CharField({ maxLength: 40, unique: true }), uses: IntegerField({ default: 0 }) },
    { database: db },
  ) {}
  return { User, Tweet, Like, Profile, Category, Tag };
}

let db: PostgresqlDatabase;
let m: ReturnType<typeof defineModels>;

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  m = defineModels(db);
  await db.createTables(Object.values(m));
});
afterAll(() => db.close());

describe('save', () => {
  it('INSERTs a new instance, then UPDATEs only the changed fields, and sends nothing when unchanged', async () => {
    const { User } = m;
    const user = new User({ username: 'alice' });
    const log = recordQueries(db);
    expect(await user.save()).toBe(1);
    expect(log.sql[0]).toMatch(/^INSERT INTO "users" \("username", "is_admin", "visits", "joined_at"\) VALUES/);
    expect(user.id).toBeTypeOf('number');
    log.reset();

    user.isAdmin = true;
    expect(user.isDirty()).toBe(true);
    expect(await user.save()).toBe(1);
    expect(log.sql).toEqual(['UPDATE "users" SET "is_admin" = $1 WHERE "users"."id" = $2']);
    expect(log.events[0]?.params).toEqual([true, user.id]);
    log.reset();

    expect(user.isDirty()).toBe(false);
    expect(await user.save()).toBe(0);
    expect(user.saveSync()).toBe(0);
    expect(log.count).toBe(0);

    user.visits = 2n ** 60n;
    user.saveSync();
    log.stop();
    expect(log.sql).toEqual(['UPDATE "users" SET "visits" = $1 WHERE "users"."id" = $2']);
    expect((await User.getById(user.id)).visits).toBe(2n ** 60n);
  });

  it('never writes the primary key: an assigned key or one named in only stays out of SET', async () => {
    const { User } = m;
    const user = await User.create({ username: 'keeps-key' });
    const log = recordQueries(db);
    const key = user.id;
    user.id = key; // assigned (its own value, so no other row is touched)
    expect(await user.save()).toBe(0);
    expect(log.count).toBe(0);
    user.visits = 7n;
    expect(await user.save({ only: ['id', 'visits'] })).toBe(1);
    log.stop();
    expect(log.sql).toEqual(['UPDATE "users" SET "visits" = $1 WHERE "users"."id" = $2']);
    expect((await User.getById(user.id)).visits).toBe(7n);
  });

  it('evaluates a function default once per instance, and stores exactly that value', async () => {
    const { User } = m;
    const before = stampCalls;
    const user = new User({ username: 'dflt' });
    expect(stampCalls).toBe(before + 1);
    const chosen = user.joinedAt;
    await user.save();
    expect(stampCalls).toBe(before + 1);
    expect(user.joinedAt.toISOString()).toBe(chosen.toISOString());
    expect((await User.getById(user.id)).joinedAt.toISOString()).toBe(chosen.toISOString());

    const created = await User.create({ username: 'dflt2' });
    expect(stampCalls).toBe(before + 2);
    expect(created.joinedAt.getTime()).not.toBe(chosen.getTime());
    // A value given explicitly skips the default.
    await User.create({ username: 'dflt3', joinedAt: new Date(0) });
    expect(stampCalls).toBe(before + 2);
  });
});

describe('refresh and toJSON', () => {
  it('refresh drops unsaved changes and reloads from the server', async () => {
    const { User } = m;
    const user = await User.create({ username: 'ref' });
    await User.update({ visits: 7n }).where(User.id.eq(user.id));
    user.isAdmin = true;
    await user.refresh();
    expect(user.visits).toBe(7n);
    expect(user.isAdmin).toBe(false);
    expect(user.isDirty()).toBe(false);
    await User.update({ visits: 8n }).where(User.id.eq(user.id));
    expect(user.refreshSync().visits).toBe(8n);
    await User.delete().where(User.id.eq(user.id));
    await expect(user.refresh()).rejects.toThrow(/no longer exists/);
    await expect(user.refresh()).rejects.toBeInstanceOf(User.DoesNotExist);
  });

  it('toJSON gives plain data: raw foreign keys, bigints as strings, user class fields', async () => {
    const { User, Tweet } = m;
    const user = await User.create({ username: 'json', visits: 2n ** 63n - 1n, joinedAt: new Date('2021-05-06T07:08:09.010Z') });
    const tweet = await Tweet.create({ user, content: 'hi' });
    expect(JSON.parse(JSON.stringify(user))).toEqual({
      id: user.id,
      username: 'json',
      isAdmin: false,
      visits: '9223372036854775807',
      joinedAt: '2021-05-06T07:08:09.010Z',
    });
    const fresh = await Tweet.getById(tweet.id);
    expect(fresh.toJSON()).toEqual({ id: tweet.id, userId: user.id, content: 'hi' });
  });
});

describe('deleteInstance', () => {
  async function world() {
    const { User, Tweet, Like, Profile } = m;
    await db.execute(sql`TRUNCATE users, tweets, likes, profiles RESTART IDENTITY CASCADE`);
    const alice = await User.create({ username: 'del-alice' });
    const bob = await User.create({ username: 'del-bob' });
    const aliceTweet = await Tweet.create({ user: alice, content: 'a' });
    const bobTweet = await Tweet.create({ user: bob, content: 'b' });
    await Like.create({ tweet: aliceTweet, liker: bob }); // on alice's tweet: goes with it
    await Like.create({ tweet: bobTweet, liker: alice }); // by alice: goes with her
    await Like.create({ tweet: bobTweet, liker: bob }); // stays
    const profile = await Profile.create({ user: alice, bio: 'x' });
    return { alice, bob, aliceTweet, bobTweet, profile };
  }

  it('without recursive, a referenced row is refused by the server', async () => {
    const { alice } = await world();
    const error = await alice.deleteInstance().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForeignKeyViolationError);
    // PostgreSQL reports the referencing table and its constraint.
    expect((error as ForeignKeyViolationError).table).toBe('tweets');
    expect((error as ForeignKeyViolationError).constraint).toBe('tweets_user_id_fkey');
  });

  it('recursive deletes dependents first (found through every model) and nulls nullable references', async () => {
    const { User, Tweet, Like, Profile } = m;
    const { alice, bob, bobTweet, profile } = await world();
    const log = recordQueries(db);
    expect(await alice.deleteInstance({ recursive: true })).toBe(1);
    log.stop();
    expect(log.sql.at(-1)).toBe('DELETE FROM "users" WHERE "users"."id" = $1');
    expect(log.sql).toContain('UPDATE "profiles" SET "user_id" = $1 WHERE "profiles"."user_id" IN (SELECT "users"."id" FROM "users" WHERE "users"."id" = $2)');
    expect(log.sql).toContain(
      'DELETE FROM "likes" WHERE "likes"."tweet_id" IN (SELECT "tweets"."id" FROM "tweets" WHERE "tweets"."user_id" IN (SELECT "users"."id" FROM "users" WHERE "users"."id" = $1))',
    );
    expect(await User.select(User.username).tuples()).toEqual([['del-bob']]);
    expect((await Tweet.select()).map((t) => t.id)).toEqual([bobTweet.id]);
    expect((await Like.select()).map((l) => [l.tweetId, l.likerId])).toEqual([[bobTweet.id, bob.id]]);
    const orphan = await Profile.getById(profile.id);
    expect(orphan.userId).toBeNull();
  });

  it('deleteNullable deletes through nullable references too; the blocking twin does the same', async () => {
    const { Profile } = m;
    const { alice, profile } = await world();
    expect(alice.deleteInstanceSync({ recursive: true, deleteNullable: true })).toBe(1);
    expect(await Profile.getOrNone(Profile.id.eq(profile.id))).toBeNull();
  });

  it('recursive skips models bound to another database or to none, whose tables need not exist here', async () => {
    const { User } = m;
    // Foreign keys to users from models this database never created: following them would DELETE FROM a missing table.
    class Draft extends model('del_drafts', { id: AutoField(), owner: ForeignKeyField(() => User) }) {}
    const elsewhere = new PostgresqlDatabase(database.url());
    class Note extends model('del_notes', { id: AutoField(), owner: ForeignKeyField(() => User) }, { database: elsewhere }) {}
    try {
      const { alice } = await world();
      const log = recordQueries(db);
      expect(await alice.deleteInstance({ recursive: true })).toBe(1);
      log.stop();
      expect(log.sql.some((text) => text.includes('del_drafts') || text.includes('del_notes'))).toBe(false);
      expect([Draft.name, Note.name]).toEqual(['Draft', 'Note']);
    } finally {
      await elsewhere.close();
    }
  });

  it('self-references: children of a deleted node are detached', async () => {
    const { Category } = m;
    const root = await Category.create({ title: 'root' });
    const child = await Category.create({ title: 'child', parent: root });
    await root.deleteInstance({ recursive: true });
    expect((await Category.getById(child.id)).parentId).toBeNull();
  });
});

describe('getOrCreate', () => {
  it('returns the existing row or creates it from lookup and defaults', async () => {
    const { Tag } = m;
    const [a, createdA] = await Tag.getOrCreate({ label: 'x' }, { uses: 3 });
    expect([createdA, a.uses]).toEqual([true, 3]);
    const [b, createdB] = await Tag.getOrCreate({ label: 'x' }, { uses: 5 });
    expect([createdB, b.id, b.uses]).toEqual([false, a.id, 3]);
    const [c, createdC] = Tag.getOrCreateSync({ label: 'y' });
    expect([createdC, c.uses]).toEqual([true, 0]);
  });

  it('is correct when 12 callers on 12 connections race past the SELECT at the same moment', async () => {
    const racers = Array.from({ length: 12 }, () => new PostgresqlDatabase(database.url()));
    const tagModels = racers.map((r) => defineModels(r).Tag);
    const logs = racers.map((r) => recordQueries(r));
    await Promise.all(racers.map((r) => r.connect()));
    // Hold INSERTs (not SELECTs) back until every racer has found no row; then release them all at once.
    const gate = new pg.Client({ connectionString: database.url() });
    await gate.connect();
    try {
      await gate.query('BEGIN');
      await gate.query('LOCK TABLE tags IN EXCLUSIVE MODE');
      const results = Promise.all(tagModels.map((Tag) => Tag.getOrCreate({ label: 'race' }, { uses: 1 })));
      for (;;) {
        // Inside a transaction pg_stat_activity is a snapshot: clear it to see the racers move.
        await gate.query('SELECT pg_stat_clear_snapshot()');
        const { rows } = await gate.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO "tags"%'`,
        );
        if (rows[0].n === 12) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await gate.query('COMMIT');
      const outcomes = await results;
      expect(outcomes.filter(([, created]) => created)).toHaveLength(1);
      expect(new Set(outcomes.map(([tag]) => tag.id)).size).toBe(1);
      // The 11 losers saw their INSERT do nothing and read the winner's row.
      expect(logs.map((l) => l.count).sort()).toEqual([2, ...Array(11).fill(3)]);
      const { rows } = await adminQuery(database.url(), `SELECT count(*)::int AS n FROM tags WHERE label = 'race'`);
      expect(rows[0].n).toBe(1);
    } finally {
      await gate.end();
      await Promise.all(racers.map((r) => r.close()));
    }
  });

  it('validates the lookup before any SQL is sent', async () => {
    const { Tag } = m;
    const log = recordQueries(db);
    await expect(Tag.getOrCreate({ label: 42 as unknown as string })).rejects.toThrow(ValidationError);
    expect(log.count).toBe(0);
    log.stop();
  });
});
