import { ArrayField, AutoField, type Condition, fn, IntegerField, JSONField, model, TextField, ValidationError } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();

type Doc = { kind: string; owner: { nick: string; age: number }; tags: string[]; n?: number };

function defineModels(db: PostgresqlDatabase) {
  class Post extends model(
    'posts',
    {
      id: AutoField(),
      title: TextField(),
      tags: ArrayField(TextField()),
      scores: ArrayField(IntegerField({ null: true }), { null: true }),
      doc: JSONField<Doc>({ null: true }),
    },
    { database: db },
  ) {}
  return { Post };
}

let db: PostgresqlDatabase;
let Post: ReturnType<typeof defineModels>['Post'];

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  ({ Post } = defineModels(db));
  await db.createTables([Post]);
  await Post.insertMany([
    { title: 'p1', tags: ['a', 'b', "it's"], scores: [1, 2, 3], doc: { kind: 'x', owner: { nick: 'ann', age: 30 }, tags: ['red'] } },
    { title: 'p2', tags: ['b', 'c'], scores: [], doc: { kind: 'y', owner: { nick: 'bob', age: 40 }, tags: ['red', 'blue'], n: 1 } },
    { title: 'p3', tags: [], scores: null, doc: null },
  ]);
});
afterAll(() => db.close());

/** The titles a condition selects, by the async and the blocking path (both must agree). */
async function titles(condition: Condition): Promise<string[]> {
  const q = Post.select(Post.title).where(condition).orderBy(Post.id);
  const async = (await q.tuples()).map(([t]) => t);
  const blocking = q
    .tuples()
    .allSync()
    .map(([t]) => t);
  expect(blocking).toEqual(async);
  return async;
}

describe('array operators on a real server', () => {
  it('contains (@>), containedBy (<@), overlaps (&&) take one array parameter cast to the column type', async () => {
    expect(Post.select(Post.id).where(Post.tags.contains('a', "it's")).sql()).toEqual({
      text: 'SELECT "posts"."id" FROM "posts" WHERE "posts"."tags" @> $1::text[]',
      values: [['a', "it's"]],
    });
    expect(await titles(Post.tags.contains('b'))).toEqual(['p1', 'p2']);
    expect(await titles(Post.tags.contains('a', 'b'))).toEqual(['p1']);
    expect(await titles(Post.tags.contains("it's"))).toEqual(['p1']);
    expect(await titles(Post.tags.containedBy(['b', 'c', 'z']))).toEqual(['p2', 'p3']);
    expect(await titles(Post.tags.overlaps(['c', 'z']))).toEqual(['p2']);
    expect(await titles(Post.scores.contains(2, 3))).toEqual(['p1']);
    // Not LIKE: a substring of an element is not an element.
    expect(await titles(Post.tags.contains('it'))).toEqual([]);
  });

  it('includes is = ANY(col); at(i) is col[i] (1-based); length() is cardinality(col); fn.unnest', async () => {
    expect(Post.select(Post.id).where(Post.tags.includes('c')).sql().text).toBe('SELECT "posts"."id" FROM "posts" WHERE $1::text = ANY("posts"."tags")');
    expect(await titles(Post.tags.includes('c'))).toEqual(['p2']);
    expect(await titles(Post.scores.includes(1))).toEqual(['p1']);
    expect(await titles(Post.tags.at(1).eq('b'))).toEqual(['p2']);
    expect(await titles(Post.tags.length().eq(0))).toEqual(['p3']);
    const rows = await Post.select(Post.title, Post.tags.at(2).as('second'), Post.tags.length().as('n'), Post.scores.length().as('s')).orderBy(Post.id).dicts();
    expect(rows).toEqual([
      { title: 'p1', second: 'b', n: 3, s: 3 },
      { title: 'p2', second: 'c', n: 2, s: 0 },
      { title: 'p3', second: null, n: 0, s: null },
    ]);
    const tags = await Post.select(fn.unnest(Post.tags).as('tag')).where(Post.title.eq('p2')).dicts();
    expect(tags.map((r) => r.tag).sort()).toEqual(['b', 'c']);
  });

  it('operands are validated by the element field before any SQL is sent', () => {
    const log = recordQueries(db);
    expect(() => Post.scores.contains('x' as never)).toThrow(ValidationError);
    expect(() => Post.scores.overlaps([1.5])).toThrow(/^Post\.scores: element 0: expected an integer/);
    expect(() => Post.tags.includes(3 as never)).toThrow(/^Post\.tags: expected a string/);
    expect(() => Post.tags.at(1.5)).toThrow(ValidationError);
    expect(log.count).toBe(0);
    log.stop();
  });
});

describe('JSONB operators on a real server', () => {
  it('contains (@>) and containedBy (<@) send the value as one jsonb parameter', async () => {
    expect(
      Post.select(Post.id)
        .where(Post.doc.contains({ kind: 'x' }))
        .sql(),
    ).toEqual({
      text: 'SELECT "posts"."id" FROM "posts" WHERE "posts"."doc" @> $1::jsonb',
      values: ['{"kind":"x"}'],
    });
    expect(await titles(Post.doc.contains({ kind: 'x' }))).toEqual(['p1']);
    expect(await titles(Post.doc.contains({ tags: ['red'] }))).toEqual(['p1', 'p2']);
    expect(await titles(Post.doc.contains({ owner: { age: 40 } }))).toEqual(['p2']);
    expect(await titles(Post.doc.get('tags').containedBy(['red', 'green']))).toEqual(['p1']);
    expect(() => Post.doc.contains({ bad: Number.NaN })).toThrow(/^Post\.doc: expected a JSON value: NaN at \$\.bad/);
  });

  it('hasKey (?), hasAnyKey (?|), hasAllKeys (?&)', async () => {
    expect(Post.doc.hasKey('n').toNode()).toMatchObject({ op: '?' });
    expect(await titles(Post.doc.hasKey('n'))).toEqual(['p2']);
    expect(await titles(Post.doc.hasAnyKey('n', 'zz'))).toEqual(['p2']);
    expect(await titles(Post.doc.hasAllKeys('kind', 'owner'))).toEqual(['p1', 'p2']);
    expect(await titles(Post.doc.hasAllKeys('kind', 'n'))).toEqual(['p2']);
    expect(await titles(Post.doc.get('tags').hasKey('blue'))).toEqual(['p2']);
  });

  it('get (->), getText (->>), path (#>), pathText (#>>), with keys and indexes as parameters', async () => {
    expect(Post.select(Post.doc.get('owner').getText('nick')).sql()).toEqual({
      text: 'SELECT ("posts"."doc" -> $1::text) ->> $2::text FROM "posts"',
      values: ['owner', 'nick'],
    });
    expect(await titles(Post.doc.getText('kind').eq('y'))).toEqual(['p2']);
    expect(await titles(Post.doc.get('owner').getText('nick').eq('ann'))).toEqual(['p1']);
    expect(await titles(Post.doc.pathText('owner', 'nick').eq('bob'))).toEqual(['p2']);
    expect(await titles(Post.doc.pathText('tags', 1).eq('blue'))).toEqual(['p2']);
    expect(await titles(Post.doc.get('tags').getText(0).eq('red'))).toEqual(['p1', 'p2']);
    const rows = await Post.select(
      Post.title,
      Post.doc.get('owner').as('owner'),
      Post.doc.path('owner', 'age').as('age'),
      Post.doc.pathText('owner', 'age').as('ageText'),
    )
      .orderBy(Post.id)
      .dicts();
    expect(rows).toEqual([
      { title: 'p1', owner: { nick: 'ann', age: 30 }, age: 30, ageText: '30' },
      { title: 'p2', owner: { nick: 'bob', age: 40 }, age: 40, ageText: '40' },
      { title: 'p3', owner: null, age: null, ageText: null },
    ]);
    // A hostile key is a parameter, never SQL text.
    const hostile = "x'); DROP TABLE posts; --";
    expect(await titles(Post.doc.getText(hostile as 'kind').isNotNull())).toEqual([]);
    expect(
      Post.select(Post.id)
        .where(Post.doc.getText(hostile as 'kind').isNull())
        .sql().text,
    ).not.toContain('DROP');
  });
});
