// Every column name works (spec, Models): fields named like the statics of a class or of pewit's old metadata
// (name, length, meta, table, fields, database, alias, type, order, group, user, key, value) go through every API
// that takes field names, on both backends and on the blocking path, and the catalog shows the columns as named.
import type { Database } from '@pewit/core';
import { AutoField, ForeignKeyField, IntegerField, JSONField, model, type SelectQuery, sql, TextField } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();

function defineModels(db: Database) {
  class Owner extends model(
    'owners',
    {
      id: AutoField(),
      name: TextField(),
      length: IntegerField({ default: 0 }),
      meta: JSONField<{ tags: string[] }>({ null: true }),
      table: TextField({ null: true }),
      fields: TextField({ null: true }),
      database: TextField({ null: true }),
      alias: TextField({ null: true }),
      type: TextField({ null: true }),
      order: IntegerField({ default: 0 }),
      group: TextField({ null: true }),
      key: TextField({ unique: true }),
      value: IntegerField({ default: 0 }),
    },
    { database: db, indexes: [{ fields: ['name', 'type'] }, { fields: ['group', 'order'], unique: true }] },
  ) {
    declare readonly items: SelectQuery<Item>;
  }
  class Item extends model(
    'items',
    { id: AutoField(), user: ForeignKeyField(() => Owner, { backref: 'items', onDelete: 'CASCADE' }), name: TextField(), order: IntegerField() },
    { database: db },
  ) {}
  return { Owner, Item };
}

const backends: [string, (url: string) => Database][] = [
  ['single connection', (url) => new PostgresqlDatabase(url)],
  ['pooled', (url) => new PooledPostgresqlDatabase(url, { max: 3 })],
];

describe.each(backends)('every column name, %s backend', (_label, open) => {
  let db: Database;
  let m: ReturnType<typeof defineModels>;

  beforeAll(async () => {
    db = open(database.url());
    m = defineModels(db);
    await db.dropTables([m.Item, m.Owner], { safe: true });
    await db.createTables([m.Owner, m.Item]);
  });
  afterAll(() => db.close());

  it('the statics stay what they were; Model.c and the free shorthands are the columns', () => {
    const { Owner } = m;
    expect(Owner.name).toBe('Owner');
    expect(Owner.length).toBe(0);
    expect(typeof Owner.alias).toBe('function');
    expect(Owner.c.name.columnName).toBe('name');
    expect(Owner.c.alias.columnName).toBe('alias');
    expect(Owner.meta).toBe(Owner.c.meta);
    expect(Owner.table).toBe(Owner.c.table);
    expect(Owner._meta.table).toBe('owners');
    expect(Owner._meta.fields.map((f) => f.name)).toContain('database');
  });

  it('creates the columns and indexes under their own names (pg_catalog)', async () => {
    const { rows } = await db.execute(
      sql`SELECT a.attname FROM pg_attribute a WHERE a.attrelid = 'owners'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    );
    expect(rows.map((r) => r.attname)).toEqual([
      'id',
      'name',
      'length',
      'meta',
      'table',
      'fields',
      'database',
      'alias',
      'type',
      'order',
      'group',
      'key',
      'value',
    ]);
    const indexes = await db.execute(
      sql`SELECT pg_get_indexdef(i.indexrelid) AS def FROM pg_index i WHERE i.indrelid = 'owners'::regclass AND NOT i.indisprimary ORDER BY 1`,
    );
    const defs = indexes.rows.map((r) => String(r.def));
    expect(defs.some((d) => d.includes('(name, type)'))).toBe(true);
    expect(defs.some((d) => d.startsWith('CREATE UNIQUE INDEX') && d.includes('("group", "order")'))).toBe(true);
    expect(defs.some((d) => d.startsWith('CREATE UNIQUE INDEX') && d.includes('(key)'))).toBe(true);
  });

  it('create, insert, insertMany with returning, and reads by every name', async () => {
    const { Owner } = m;
    const ada = await Owner.create({ name: 'Ada', key: 'ada', length: 3, meta: { tags: ['x'] }, table: 't', type: 'admin', order: 1, group: 'g1', value: 10 });
    expect(ada.name).toBe('Ada');
    expect(ada.length).toBe(3);
    const id = await Owner.insert({ name: 'Bob', key: 'bob', database: 'db', alias: 'b', fields: 'f' });
    const bob = await Owner.getById(id);
    expect([bob.name, bob.database, bob.alias, bob.fields, bob.order]).toEqual(['Bob', 'db', 'b', 'f', 0]);
    const returned = await Owner.insertMany([
      { name: 'Cy', key: 'cy', group: 'g2', order: 2 },
      { name: 'Di', key: 'di', group: 'g2', order: 3 },
    ]).returning(Owner.c.name, Owner.c.order);
    expect(returned.map((o) => [o.name, o.order])).toEqual([
      ['Cy', 2],
      ['Di', 3],
    ]);
    const found = await Owner.select().where(Owner.c.name.eq('Ada'), Owner.c.length.gte(3), Owner.c.type.eq('admin')).get();
    expect(found.id).toBe(ada.id);
  });

  it('update, save({ only }), bulkUpdate and getOrCreate by these names', async () => {
    const { Owner } = m;
    const eve = await Owner.create({ name: 'Eve', key: 'eve' });
    expect(await Owner.update({ name: 'Eva', value: Owner.c.value.add(5) }).where(Owner.c.key.eq('eve'))).toBe(1);
    await eve.refresh();
    expect([eve.name, eve.value]).toEqual(['Eva', 5]);

    eve.name = 'Evelyn';
    eve.length = 99;
    const log = recordQueries(db);
    await eve.save({ only: ['name'] });
    expect(log.sql.at(-1)).toMatch(/^UPDATE "owners" SET "name" = \$1 WHERE/);
    await eve.refresh();
    expect([eve.name, eve.length]).toEqual(['Evelyn', 0]);

    const more = [await Owner.create({ name: 'F', key: 'f' }), await Owner.create({ name: 'G', key: 'g' })];
    for (const o of more) {
      o.name = `${o.name}!`;
      o.order = 7;
    }
    expect(await Owner.bulkUpdate(more, ['name', 'order'])).toBe(2);
    const after = await Owner.select(Owner.c.name, Owner.c.order)
      .where(Owner.c.key.in(['f', 'g']))
      .orderBy(Owner.c.name)
      .dicts();
    expect(after).toEqual([
      { name: 'F!', order: 7 },
      { name: 'G!', order: 7 },
    ]);

    const [got, created] = await Owner.getOrCreate({ key: 'h' }, { name: 'Hal', group: 'g3' });
    expect([got.name, got.group, created]).toEqual(['Hal', 'g3', true]);
    const [again, createdAgain] = await Owner.getOrCreate({ key: 'h' }, { name: 'other' });
    expect([again.id, createdAgain]).toEqual([got.id, false]);
  });

  it('dicts, tuples, groupBy and orderBy keep the names', async () => {
    const { Owner } = m;
    await Owner.create({ name: 'K1', key: 'k1', group: 'kg', order: 1, value: 1 });
    await Owner.create({ name: 'K2', key: 'k2', group: 'kg', order: 2, value: 2 });
    const rows = await Owner.select(Owner.c.group, Owner.c.value.as('value')).where(Owner.c.group.eq('kg')).orderBy(Owner.c.value.desc()).dicts();
    expect(rows).toEqual([
      { group: 'kg', value: 2 },
      { group: 'kg', value: 1 },
    ]);
    const tuples = await Owner.select(Owner.c.name, Owner.c.key).where(Owner.c.group.eq('kg')).orderBy(Owner.c.name).tuples();
    expect(tuples).toEqual([
      ['K1', 'k1'],
      ['K2', 'k2'],
    ]);
  });

  it('joins, a foreign key named user, backrefs and prefetch', async () => {
    const { Owner, Item } = m;
    const owner = await Owner.create({ name: 'Jo', key: 'jo' });
    await Item.create({ user: owner, name: 'pen', order: 2 });
    await Item.create({ user: owner.id, name: 'cup', order: 1 });

    const joined = await Item.select(Item, Owner).join(Owner).where(Owner.c.name.eq('Jo')).orderBy(Item.c.order);
    expect(joined.map((i) => [i.name, i.order, i.userId, i.user.name])).toEqual([
      ['cup', 1, owner.id, 'Jo'],
      ['pen', 2, owner.id, 'Jo'],
    ]);

    const log = recordQueries(db);
    const owners = await Owner.select().where(Owner.c.key.eq('jo')).prefetch(Item);
    expect(log.count).toBe(2);
    expect(
      owners[0]?.items
        .allSync()
        .map((i) => i.name)
        .sort(),
    ).toEqual(['cup', 'pen']);
    expect(log.count).toBe(2);
    expect((await owner.items.orderBy(Item.c.name)).map((i) => i.name)).toEqual(['cup', 'pen']);
  });

  it('the blocking twins take the same names', () => {
    const { Owner } = m;
    const o = Owner.createSync({ name: 'Sy', key: 'sy', type: 'blocking', meta: { tags: ['a', 'b'] } });
    o.name = 'Sync';
    o.saveSync();
    const read = Owner.getSync(Owner.c.key.eq('sy'));
    expect([read.name, read.type, read.meta]).toEqual(['Sync', 'blocking', { tags: ['a', 'b'] }]);
    expect(Owner.select(Owner.c.name).where(Owner.c.type.eq('blocking')).dicts().allSync()).toEqual([{ name: 'Sync' }]);
  });
});

describe('aliases and instances with these names', () => {
  it('an alias has every column under c, and a shorthand where the alias has no such member', () => {
    const T = model('alias_names', { id: AutoField(), name: TextField(), c: TextField(), toNode: TextField() });
    const A = T.alias('a');
    expect(A.c.name.toNode()).toEqual(A.name.toNode());
    expect(A.c.c.columnName).toBe('c');
    expect(typeof A.toNode).toBe('function');
    expect(A.c.toNode.columnName).toBe('to_node');
  });
});
