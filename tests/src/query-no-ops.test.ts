import {
  AutoField,
  CompositeKey,
  type Database,
  EnumField,
  ForeignKeyField,
  IntegerField,
  ManyToManyField,
  model,
  sql,
  TextField,
  UniqueViolationError,
} from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { adminQuery, recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

// Options that used to be accepted and ignored: each now does what it says, or is refused naming model and field.

const database = useTestDatabase();

describe.each([
  ['PostgresqlDatabase', 'a', (url: string): Database => new PostgresqlDatabase(url)],
  ['PooledPostgresqlDatabase', 'b', (url: string): Database => new PooledPostgresqlDatabase(url, { max: 2 })],
] as const)('%s', (_name, suffix, make) => {
  let db: Database;
  function define(d: Database) {
    class Row extends model(`noop_rows_${suffix}`, { id: AutoField(), n: IntegerField(), note: TextField({ default: 'x' }) }, { database: d }) {}
    class Tag extends model(`noop_tags_${suffix}`, { id: AutoField(), label: TextField() }, { database: d }) {}
    class Post extends model(
      `noop_posts_${suffix}`,
      { id: AutoField(), title: TextField(), tags: ManyToManyField(() => Tag, { backref: 'posts' }) },
      { database: d },
    ) {}
    // An enum primary key on the near side: the key of add(query) must be cast to the enum type.
    class Color extends model(
      `noop_colors_${suffix}`,
      { code: EnumField(['red', 'green'] as const, { primaryKey: true, typeName: `noop_color_${suffix}` }), tags: ManyToManyField(() => Tag) },
      { database: d },
    ) {}
    return { Row, Tag, Post, Color };
  }
  let M: ReturnType<typeof define>;
  beforeAll(async () => {
    db = make(database.url());
    M = define(db);
    await db.createTables([M.Row, M.Tag, M.Post, M.Color]);
  });
  afterAll(() => db.close());
  // Each test counts rows and links of its own: empty tables (and their link tables) first, whatever ran before.
  beforeEach(async () => {
    await adminQuery(database.url(), `TRUNCATE noop_rows_${suffix}, noop_tags_${suffix}, noop_posts_${suffix}, noop_colors_${suffix} RESTART IDENTITY CASCADE`);
  });

  it('insertMany(rows, { batchSize }) sends one INSERT per batch, not in a transaction', async () => {
    const log = recordQueries(db);
    const rows = Array.from({ length: 25 }, (_, i) => ({ n: i }));
    expect(await M.Row.insertMany(rows, { batchSize: 10 })).toBe(25);
    log.stop();
    const inserts = log.sql.filter((s) => s.startsWith('INSERT'));
    expect(inserts).toHaveLength(3);
    expect(log.sql.some((s) => s.startsWith('BEGIN'))).toBe(false);
    expect(await M.Row.select().count()).toBe(25);
    expect(() => M.Row.insertMany(rows, { batchSize: 0 })).toThrow(/Row\.insertMany\(\): batchSize must be a positive integer, received 0/);
    expect(() => M.Row.insertMany(rows, { batchSize: 2.5 })).toThrow(/batchSize must be a positive integer/);
    expect(() => M.Row.insertMany(rows, { batch_size: 10 } as never)).toThrow(/Row\.insertMany\(\): unknown option "batch_size"; the option is batchSize/);
    expect(() => M.Row.insertMany(rows, { batchSize: 10 }).toNode()).toThrow(/needs 3 statements/);
  });

  it('save({ only }) refuses a name that is not a field, naming model and field, before SQL', async () => {
    const row = await M.Row.create({ n: 1 });
    row.n = 2;
    const log = recordQueries(db);
    await expect(row.save({ only: ['nope'] })).rejects.toThrow(/Row#save\(\{ only \}\): "nope" is not a field of Row/);
    expect(() => row.saveSync({ only: ['n', 'tags'] })).toThrow(/"tags" is not a field of Row/);
    await expect(row.save({ fields: ['n'] } as never)).rejects.toThrow(/Row#save\(\): unknown option "fields"; the option is only/);
    log.stop();
    expect(log.count).toBe(0);
    expect(await row.save({ only: ['n'] })).toBe(1);
    expect((await M.Row.getById(row.id)).n).toBe(2);
  });

  it('save({ only }) on a new instance inserts only those fields', async () => {
    const row = new M.Row({ n: 7, note: 'kept out' });
    await row.save({ only: ['n'] });
    expect((await M.Row.getById(row.id)).note).toBe('x');
  });

  it('add(…, { ignoreExisting: true }) skips linked pairs; remove() of a missing pair is 0, not an error', async () => {
    const post = await M.Post.create({ title: 'p' });
    const [a, b] = [await M.Tag.create({ label: 'a' }), await M.Tag.create({ label: 'b' })];
    expect(await post.tags.add(a)).toBe(1);
    await expect(post.tags.add(a)).rejects.toBeInstanceOf(UniqueViolationError);
    const log = recordQueries(db);
    expect(await post.tags.add([a, b], { ignoreExisting: true })).toBe(1);
    log.stop();
    expect(log.sql.at(-1)).toMatch(/ON CONFLICT \("[a-z_]+", "[a-z_]+"\) DO NOTHING$/);
    expect(await post.tags.add(M.Tag.select(), { ignoreExisting: true })).toBe(0);
    expect(post.tags.addSync([a], { ignoreExisting: true })).toBe(0);
    await expect(post.tags.add([a], { ignore: true } as never)).rejects.toThrow(/tags\.add\(\): unknown option "ignore"; the option is ignoreExisting/);
    expect((await post.tags.orderBy(M.Tag.id)).map((t: { label: string }) => t.label)).toEqual(['a', 'b']);
    expect(await post.tags.remove(a)).toBe(1);
    expect(await post.tags.remove(a)).toBe(0);
    expect(await post.tags.remove([])).toBe(0);
  });

  it('add(query) on an enum-keyed model casts the key to the enum type', async () => {
    await M.Tag.create({ label: 'enum' });
    const red = await M.Color.create({ code: 'red' });
    const log = recordQueries(db);
    expect(await red.tags.add(M.Tag.select().where(M.Tag.label.eq('enum')))).toBe(1);
    log.stop();
    expect(log.sql.at(-1)).toContain(`CAST($1 AS "noop_color_${suffix}")`);
    expect((await red.tags).map((t: { label: string }) => t.label)).toEqual(['enum']);
  });
});

describe('ForeignKeyField(…, { index: false })', () => {
  let db: PostgresqlDatabase;
  afterAll(() => db.close());
  it('creates no index for that key; other foreign keys keep theirs (pg_catalog)', async () => {
    db = new PostgresqlDatabase(database.url());
    class Group extends model('fkx_groups', { id: AutoField() }, { database: db }) {}
    class Person extends model('fkx_people', { id: AutoField() }, { database: db }) {}
    class Member extends model(
      'fkx_members',
      { group: ForeignKeyField(() => Group, { index: false }), person: ForeignKeyField(() => Person) },
      { database: db, primaryKey: CompositeKey('group', 'person') },
    ) {}
    await db.createTables([Group, Person, Member]);
    const { rows } = await adminQuery(
      database.url(),
      `SELECT i.relname AS name, array_agg(a.attname::text ORDER BY k.n) AS columns
         FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_class t ON t.oid = x.indrelid
         CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE t.relname = $1
        GROUP BY i.relname ORDER BY i.relname`,
      ['fkx_members'],
    );
    // The composite key starts with group_id and covers it; only person_id gets its own index.
    expect(rows).toEqual([
      { name: 'fkx_members_person_id_idx', columns: ['person_id'] },
      { name: 'fkx_members_pkey', columns: ['group_id', 'person_id'] },
    ]);
    expect(await db.execute(sql`SELECT count(*)::int AS n FROM fkx_members`)).toMatchObject({ rows: [{ n: 0 }] });
  });
});

describe('options that are not SQL words are refused, naming the option', () => {
  it('NULLS ordering and join type', () => {
    const db = new PostgresqlDatabase('postgresql://nobody@127.0.0.1:1/none');
    class Item extends model('noop_items', { id: AutoField(), n: IntegerField() }, { database: db }) {}
    class Other extends model('noop_others', { id: AutoField(), item: ForeignKeyField(() => Item) }, { database: db }) {}
    expect(() => Item.select().orderBy(Item.n.asc('middle' as 'last'))).toThrow(/NULLS ordering: "middle" is not one of "first", "last"/);
    expect(() => Item.select().join(Other, { type: 'sideways' as 'left' })).toThrow(/join type: "sideways" is not one of "inner", "left"/);
    return db.close();
  });
});
