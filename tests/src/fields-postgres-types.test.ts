import {
  ArrayField,
  AutoField,
  CITextField,
  CidrField,
  customField,
  EnumField,
  FixedCharField,
  InetField,
  IntervalField,
  model,
  sql,
  TSVectorField,
  toTsvector,
  ValidationError,
  websearchToTsquery,
} from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();

type Point = { x: number; y: number };

/** pgvector or PostGIS would be mapped the same way; `point` ships with every server. */
const PointField = () =>
  customField<Point>({
    sqlType: 'point',
    toDatabase: (p) => `(${p.x},${p.y})`,
    fromDatabase: (text) => {
      const [x, y] = text.slice(1, -1).split(',').map(Number);
      return { x: x as number, y: y as number };
    },
    validate: (v) =>
      typeof v === 'object' && v !== null && Number.isFinite((v as Point).x) && Number.isFinite((v as Point).y)
        ? undefined
        : 'expected { x, y } with finite numbers',
  });

function defineModels(db: PostgresqlDatabase) {
  class Article extends model(
    'articles',
    {
      id: AutoField(),
      status: EnumField(['draft', 'published', "it's \\ odd"] as const),
      moods: ArrayField(EnumField(['ok', 'sad'] as const, { typeName: 'mood' })),
      code: FixedCharField({ length: 5 }),
      ttl: IntervalField({ null: true }),
      ip: InetField({ null: true }),
      net: CidrField({ null: true }),
      email: CITextField({ null: true }),
      search: TSVectorField({ null: true }),
      spot: PointField(),
      mail: customField<string>({ sqlType: 'email_address', toDatabase: (s) => s, fromDatabase: (s) => s, null: true }),
    },
    { database: db },
  ) {}
  class Note extends model('notes', { id: AutoField(), feeling: EnumField(['ok', 'sad'] as const, { typeName: 'mood', null: true }) }, { database: db }) {}
  return { Article, Note };
}

let db: PostgresqlDatabase;
let m: ReturnType<typeof defineModels>;

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  await db.execute(sql`CREATE EXTENSION IF NOT EXISTS citext`);
  // A domain is a customField (or any field) naming it as its SQL type.
  await db.execute(sql`CREATE DOMAIN email_address AS text CHECK (VALUE LIKE '%@%')`);
  m = defineModels(db);
});
afterAll(() => db.close());

const typeExists = async (name: string) => (await db.execute(sql`SELECT 1 FROM pg_type WHERE typname = ${name}`)).rows.length === 1;

describe('enum types in createTables and dropTables', () => {
  it('creates each enum type once, before the tables, and drops it after them', async () => {
    const { Article, Note } = m;
    // From nothing, whatever ran before (the round-trip tests create these tables too).
    await db.dropTables([Article, Note], { safe: true });
    const log = recordQueries(db);
    await db.createTables([Note, Article]);
    const ddl = log.sql.filter((s) => /^(CREATE|DROP)/.test(s));
    expect(ddl.slice(0, 2).sort()).toEqual([
      `CREATE TYPE "articles_status" AS ENUM (E'draft', E'published', E'it\\'s \\\\ odd')`,
      `CREATE TYPE "mood" AS ENUM (E'ok', E'sad')`,
    ]);
    expect(ddl.filter((s) => s.startsWith('CREATE TYPE'))).toHaveLength(2);
    expect(ddl.find((s) => s.startsWith('CREATE TABLE "articles"'))).toContain(
      '"status" "articles_status" NOT NULL, "moods" "mood"[] NOT NULL, "code" character(5) NOT NULL',
    );
    expect(ddl.find((s) => s.startsWith('CREATE TABLE "articles"'))).toContain('"spot" point NOT NULL, "mail" email_address');
    const labels = await db.execute(
      sql`SELECT array_agg(enumlabel ORDER BY enumsortorder)::text AS l FROM pg_enum WHERE enumtypid = '"articles_status"'::regtype`,
    );
    expect(labels.rows[0]).toEqual({ l: `{draft,published,"it's \\\\ odd"}` });
    log.reset();
    // safe: the types exist, so nothing is created and nothing fails.
    await db.createTables([Note, Article], { safe: true });
    expect(log.sql.filter((s) => s.startsWith('CREATE TYPE'))).toEqual([]);
    // Dropping Note alone keeps "mood": Article still uses it.
    await db.dropTables([Note]);
    expect(await typeExists('mood')).toBe(true);
    await db.dropTables([Article, Note], { safe: true });
    expect(await typeExists('mood')).toBe(false);
    expect(await typeExists('articles_status')).toBe(false);
    log.reset();
    db.createTablesSync([Article, Note]);
    expect(log.sql.filter((s) => s.startsWith('CREATE TYPE'))).toHaveLength(2);
    log.stop();
  });

  it('createType: false names an existing type and leaves it alone', async () => {
    await db.execute(sql`CREATE TYPE size_kind AS ENUM ('s', 'm', 'l')`);
    class Shirt extends model(
      'shirts',
      { id: AutoField(), size: EnumField(['s', 'm', 'l'] as const, { typeName: 'size_kind', createType: false }) },
      { database: db },
    ) {}
    await db.createTables([Shirt]);
    const shirt = await Shirt.create({ size: 'm' });
    expect((await Shirt.getById(shirt.id)).size).toBe('m');
    await db.dropTables([Shirt]);
    expect(await typeExists('size_kind')).toBe(true);
  });
});

describe('PostgreSQL types round-trip exactly, async and blocking', () => {
  beforeAll(async () => {
    await db.createTables([m.Article, m.Note], { safe: true });
  });
  const row = {
    status: "it's \\ odd" as const,
    moods: ['sad', 'ok', 'sad'] as ('ok' | 'sad')[],
    code: 'ab',
    ttl: '1 year 2 mons 3 days 04:05:06.5',
    ip: '2001:db8::1',
    net: '10.1.0.0/16',
    email: 'Ann@Example.org',
    search: "'cat':2 'fat':1",
    spot: { x: 1.5, y: -2 },
    mail: 'a@b.c',
  };

  it('writes and reads every new type', async () => {
    const { Article } = m;
    const created = await Article.create(row);
    const blocking = Article.createSync({ ...row, status: 'draft' });
    for (const [id, status] of [
      [created.id, row.status],
      [blocking.id, 'draft'],
    ] as const) {
      const viaAsync = await Article.getById(id);
      const viaSync = Article.getByIdSync(id);
      for (const got of [viaAsync, viaSync]) {
        expect({ ...got.toJSON(), id: undefined }).toEqual({ ...row, status, id: undefined });
      }
    }
    // character(5) stores the padding; pewit reads it back without.
    expect(
      (await db.execute(sql`SELECT code = 'ab   ' AS padded, octet_length(code::text) AS n FROM articles WHERE id = ${created.id}`)).rows[0],
    ).toMatchObject({ padded: true });
  });

  it('the operators of these types work on the server', async () => {
    const { Article } = m;
    await Article.delete();
    await Article.insertMany([
      { ...row, status: 'published', email: 'BOB@x.org' },
      { ...row, status: 'draft', moods: ['ok'], search: null },
    ]);
    expect(await Article.select().where(Article.status.eq('published')).count()).toBe(1);
    expect(await Article.select().where(Article.email.eq('bob@X.ORG')).count()).toBe(1);
    expect(await Article.select().where(Article.moods.contains('sad')).count()).toBe(1);
    expect(await Article.select().where(Article.moods.includes('ok')).count()).toBe(2);
    expect(await Article.select().where(Article.search.match('dog')).count()).toBe(0);
    expect(await Article.select().where(Article.search.match('cats')).count()).toBe(1); // plainto_tsquery stems: cats → cat
    expect(await Article.select().where(Article.search.match('fat')).count()).toBe(1);
    expect(
      await Article.select()
        .where(toTsvector('english', Article.status.cast('text')).match('publishing', { config: 'english' }))
        .count(),
    ).toBe(1);
    expect(
      await Article.select()
        .where(toTsvector('simple', Article.status.cast('text')).match('publishing', { config: 'simple' }))
        .count(),
    ).toBe(0);
    expect(
      await Article.select()
        .where(Article.search.match(websearchToTsquery('simple', 'fat -dog')))
        .count(),
    ).toBe(1);
    // A vector computed by the server from another column, written through update().
    await Article.update({ search: toTsvector('english', Article.status.cast('text')) }).where(Article.search.isNull());
    expect(await Article.select().where(Article.search.match('drafts')).count()).toBe(1);
    expect(Article.select(Article.id).where(Article.search.match('a b')).sql()).toEqual({
      text: 'SELECT "articles"."id" FROM "articles" WHERE "articles"."search" @@ plainto_tsquery($1::text)',
      values: ['a b'],
    });
  });

  it('bulkUpdate casts to each column’s own type (an enum is not text)', async () => {
    const { Article } = m;
    await Article.insertMany([row, { ...row, status: 'draft' }]);
    const all = await Article.select().orderBy(Article.id);
    for (const a of all) {
      a.status = 'published';
      a.moods = ['sad'];
      a.spot = { x: 9, y: 9 };
      a.ttl = '2 days';
      a.mail = 'z@z.z';
    }
    const log = recordQueries(db);
    expect(await Article.bulkUpdate(all, ['status', 'moods', 'spot', 'ttl', 'mail'])).toBe(all.length);
    expect(log.sql[0]).toContain('THEN $2::"articles_status"');
    expect(log.sql[0]).toContain('::"mood"[]');
    expect(log.sql[0]).toContain('::point');
    expect(log.sql[0]).not.toContain('::text');
    log.stop();
    const again = Article.select().orderBy(Article.id).allSync();
    expect(again.map((a) => [a.status, a.moods, a.spot, a.ttl, a.mail])).toEqual(all.map(() => ['published', ['sad'], { x: 9, y: 9 }, '2 days', 'z@z.z']));
    // upserts and insertMany VALUES take the column's type too
    const [first] = again;
    await Article.insertMany([{ ...row, id: first?.id as number, status: 'draft' }]).onConflict({
      target: [Article.id],
      update: { status: 'published', spot: { x: 1, y: 1 } },
    });
    expect((await Article.getById(first?.id as number)).spot).toEqual({ x: 1, y: 1 });
  });

  it('bad values are ValidationErrors naming model and field, before any SQL', () => {
    const { Article } = m;
    const log = recordQueries(db);
    expect(() => new Article({ ...row, status: 'gone' as never })).toThrow(
      /^Article\.status: expected one of "draft", "published", "it's \\\\ odd", received "gone"/,
    );
    expect(() => new Article({ ...row, moods: ['ok', 'meh' as never] })).toThrow(/^Article\.moods: element 1: expected one of "ok", "sad"/);
    expect(() => new Article({ ...row, code: 'toolong' })).toThrow(/^Article\.code: expected at most 5 characters/);
    expect(() => new Article({ ...row, ip: 'localhost' })).toThrow(/^Article\.ip: expected an IPv4 or IPv6 address/);
    expect(() => new Article({ ...row, spot: { x: Number.NaN, y: 1 } })).toThrow(/^Article\.spot: expected \{ x, y \} with finite numbers/);
    expect(() => Article.status.eq('nope' as never)).toThrow(ValidationError);
    expect(log.count).toBe(0);
    log.stop();
  });
});

describe('definition errors', () => {
  it('refuses bad enum values and SQL types that are not type names', () => {
    expect(() => EnumField([] as never)).toThrow(/pass the values/);
    expect(() => EnumField(['a', 'a'])).toThrow(/repeat a label/);
    expect(() => customField<string>({ sqlType: 'text; DROP TABLE x', toDatabase: String, fromDatabase: String })).toThrow(/is not a PostgreSQL type name/);
    expect(() => customField<string>({ sqlType: "text DEFAULT 'x'", toDatabase: String, fromDatabase: String })).toThrow(/is not a PostgreSQL type name/);
    for (const ok of ['vector(3)', 'geometry(Point, 4326)', 'public.hstore', '"My Type"[]', 'timestamp(3) with time zone', 'double precision[]'])
      expect(() => customField<string>({ sqlType: ok, toDatabase: String, fromDatabase: String })).not.toThrow();
  });
});
