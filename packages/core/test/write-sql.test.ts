import { describe, expect, it } from 'vitest';
import { ArrayField, AutoField, model, TextField } from '../src/index.js';
import { Tweet, User } from './models.js';
import { excluded, fn, instantiateForTest } from './write-helpers.js';

describe('INSERT', () => {
  it('insertMany sends one array per column (unnest); ON CONFLICT targets unqualified columns', () => {
    const q = User.insertMany([{ username: 'a' }, { username: 'b', age: 3 }]).onConflict({ target: [User.username], update: { age: excluded(User.age) } });
    expect(q.sql()).toEqual({
      text:
        'INSERT INTO "users" ("username", "age", "is_admin") SELECT * FROM unnest($1::varchar(50)[], $2::integer[], $3::boolean[])' +
        ' ON CONFLICT ("username") DO UPDATE SET "age" = "excluded"."age"',
      values: [
        ['a', 'b'],
        [null, 3],
        [false, false],
      ],
    });
  });

  it('insertMany keeps the multi-row VALUES form for one row, an expression cell, and an array column', () => {
    expect(User.insertMany([{ username: 'a' }]).sql().text).toBe('INSERT INTO "users" ("username", "is_admin") VALUES ($1, $2)');
    // An expression as a value works at run time; InsertData does not type it yet (issue #19), hence the cast.
    const computed = User.username.concat('x') as unknown as string;
    expect(User.insertMany([{ username: 'a' }, { username: computed }]).sql().text).toBe(
      'INSERT INTO "users" ("username", "is_admin") VALUES ($1, $2), ("users"."username" || $3, $4)',
    );
    // unnest() would flatten a text[] column's arrays into one list of texts.
    class Post extends model('posts', { id: AutoField(), title: TextField(), tags: ArrayField(TextField()) }) {}
    expect(
      Post.insertMany([
        { title: 'a', tags: ['x'] },
        { title: 'b', tags: [] },
      ]).sql().text,
    ).toBe('INSERT INTO "posts" ("title", "tags") VALUES ($1, $2), ($3, $4)');
  });

  it('ON CONFLICT ON CONSTRAINT, a partial-index predicate, a DO UPDATE WHERE, and RETURNING', () => {
    const q = User.insertMany([{ username: 'a' }])
      .onConflict({ constraint: 'users_username_key', update: { age: User.age.add(1) }, where: User.age.lt(100) })
      .returning(User.id, User.age);
    expect(q.sql()).toEqual({
      text:
        'INSERT INTO "users" ("username", "is_admin") VALUES ($1, $2) ON CONFLICT ON CONSTRAINT "users_username_key"' +
        ' DO UPDATE SET "age" = "users"."age" + $3 WHERE "users"."age" < $4 RETURNING "users"."id", "users"."age"',
      values: ['a', false, 1, 100],
    });
    const partial = User.insertMany([{ username: 'a' }]).onConflict({ target: [User.username], targetWhere: User.isAdmin.eq(true), ignore: true });
    expect(partial.sql().text).toBe(
      'INSERT INTO "users" ("username", "is_admin") VALUES ($1, $2) ON CONFLICT ("username") WHERE "users"."is_admin" = $3 DO NOTHING',
    );
    expect(() => User.insertMany([]).onConflict({ update: { age: 1 } })).toThrow(/target: \[\.\.\.\]\) or a constraint/);
    expect(() => User.insertMany([]).onConflict({ ignore: true, target: [User.username], constraint: 'x' })).toThrow(/target or constraint/);
  });

  it('insertMany in the VALUES form above the parameter limit has no single SQL form (it runs as several statements)', () => {
    const computed = User.username.concat('x') as unknown as string; // see above: InsertData does not type expressions yet
    const rows = Array.from({ length: 33_000 }, (_, i) => ({ username: i === 0 ? computed : `u${i}` }));
    expect(() => User.insertMany(rows).sql()).toThrow(/needs 2 statements/);
    // One array per column has no parameter limit: the same number of plain rows is one statement.
    const plain = User.insertMany(rows.slice(1)).sql();
    expect(plain.values).toHaveLength(2);
  });

  it('insertFrom inserts the rows of a SELECT into the named fields', () => {
    const source = Tweet.select(Tweet.content.concat('!'), Tweet.likes).where(Tweet.likes.gt(1));
    expect(User.insertFrom(source, [User.username, 'age']).returning(User.id).sql()).toEqual({
      text: 'INSERT INTO "users" ("username", "age") SELECT "tweets"."content" || $1, "tweets"."likes" FROM "tweets" WHERE "tweets"."likes" > $2 RETURNING "users"."id"',
      values: ['!', 1],
    });
    expect(() => User.insertFrom(source, [User.username])).toThrow(/selects 2 columns but 1 fields/);
    expect(() => User.insertFrom(source, [Tweet.content, User.age])).toThrow(/Tweets?\.content is not a field of Users?/);
  });
});

describe('UPDATE and DELETE', () => {
  it('update with expressions and returning; delete with conditions', () => {
    expect(
      Tweet.update({ likes: Tweet.likes.add(1), content: fn.upper(Tweet.content) })
        .where(Tweet.id.eq(7))
        .returning(Tweet.likes)
        .sql(),
    ).toEqual({
      text: 'UPDATE "tweets" SET "likes" = "tweets"."likes" + $1, "content" = upper("tweets"."content") WHERE "tweets"."id" = $2 RETURNING "tweets"."likes"',
      values: [1, 7],
    });
    expect(
      User.delete()
        .where(User.id.in([1, 2]))
        .sql(),
    ).toEqual({ text: 'DELETE FROM "users" WHERE "users"."id" IN ($1, $2)', values: [1, 2] });
  });

  it('bulkUpdate is one UPDATE … CASE with typed parameters per batch', () => {
    const a = instantiateForTest(User, { id: 1, username: 'a', email: null, age: 10, isAdmin: false });
    const b = instantiateForTest(User, { id: 2, username: 'b', email: 'b@x', age: 20, isAdmin: true });
    a.age = 11;
    b.email = 'new@x';
    expect(User.bulkUpdate([a, b], ['age', User.email]).sql()).toEqual({
      text:
        'UPDATE "users" SET "age" = CASE "users"."id" WHEN $1 THEN $2::integer WHEN $3 THEN $4::integer END,' +
        ' "email" = CASE "users"."id" WHEN $5 THEN $6::text WHEN $7 THEN $8::text END WHERE "users"."id" IN ($9, $10)',
      values: [1, 11, 2, 20, 1, null, 2, 'new@x', 1, 2],
    });
    expect(() => User.bulkUpdate([a], [User.id])).toThrow(/primary key/);
    expect(() => User.bulkUpdate([new User({ username: 'x' })], ['age'])).toThrow(/saved/);
    expect(() => User.bulkUpdate([a, b], ['age'], { batchSize: 1 }).sql()).toThrow(/needs 2 statements/);
  });
});
