// A database that predates pewit (tests/src/fixtures/shop-schema.ts, plain SQL DDL), mapped by hand: server-side
// values (identity, DEFAULT now(), generated columns), views as read-only models, and createTables({ safe: true })
// that leaves the catalog exactly as it was.
import type { Database, Expressible } from '@pewit/core';
import {
  ArrayField,
  BigIntegerField,
  CharField,
  CompositeKey,
  DateTimeField,
  DecimalField,
  ForeignKeyField,
  IntegerField,
  JSONField,
  model,
  SmallIntegerField,
  sql,
  TextField,
  TSVectorField,
  ValidationError,
} from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { adminQuery, recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CATALOG_SNAPSHOT_SQL, SHOP_DDL } from './fixtures/shop-schema.js';

const database = useTestDatabase();

function defineModels(db: Database) {
  class Customer extends model(
    'customers',
    {
      id: IntegerField({ primaryKey: true, identity: 'always', columnName: 'customer_id' }),
      fullName: TextField(),
      email: TextField({ unique: true }),
      tags: ArrayField(TextField(), { default: sql`'{}'` }),
      prefs: JSONField<{ theme?: string; size?: { w: number }; beta?: boolean; extra?: number }>({ null: true }),
      referredBy: ForeignKeyField('self', { null: true, columnName: 'referred_by' }),
      createdAt: DateTimeField({ default: sql`now()` }),
    },
    { database: db, schema: 'shop' },
  ) {}
  class Product extends model(
    'products',
    {
      sku: CharField({ maxLength: 20, primaryKey: true }),
      title: TextField(),
      price: DecimalField({ maxDigits: 10, decimalPlaces: 2, check: 'price >= 0' }),
      serialNo: BigIntegerField({ identity: true }),
      search: TSVectorField({ generated: sql`to_tsvector('english', title)` }),
    },
    { database: db, schema: 'shop' },
  ) {}
  class OrderLine extends model(
    'order_lines',
    {
      orderNo: IntegerField(),
      lineNo: SmallIntegerField(),
      customer: ForeignKeyField(() => Customer, { columnName: 'customer_id', onDelete: 'CASCADE' }),
      product: ForeignKeyField(() => Product, { columnName: 'sku' }),
      qty: IntegerField({ default: sql`1` }),
      unitPrice: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
      total: DecimalField({ maxDigits: 12, decimalPlaces: 2, null: true, generated: sql`qty * unit_price` }),
    },
    { database: db, schema: 'shop', primaryKey: CompositeKey('orderNo', 'lineNo') },
  ) {}
  class CustomerTotal extends model(
    'customer_totals',
    {
      customer: ForeignKeyField(() => Customer, { columnName: 'customer_id' }),
      fullName: TextField(),
      spent: DecimalField({ maxDigits: 12, decimalPlaces: 2 }),
    },
    { database: db, schema: 'shop', readOnly: true },
  ) {}
  class BigLine extends model(
    'big_lines',
    { orderNo: IntegerField(), lineNo: SmallIntegerField(), total: DecimalField({ maxDigits: 12, decimalPlaces: 2 }) },
    { database: db, schema: 'shop', readOnly: true },
  ) {}
  return { Customer, Product, OrderLine, CustomerTotal, BigLine };
}

const backends: [string, (url: string) => Database][] = [
  ['single connection', (url) => new PostgresqlDatabase(url)],
  ['pooled', (url) => new PooledPostgresqlDatabase(url, { max: 3 })],
];

const snapshot = async () => (await adminQuery(database.url(), CATALOG_SNAPSHOT_SQL, ['shop'])).rows.map((r) => r.item as string);

beforeAll(async () => {
  await adminQuery(database.url(), SHOP_DDL);
});

describe.each(backends)('an existing schema mapped by hand, %s backend', (_label, open) => {
  let db: Database;
  let m: ReturnType<typeof defineModels>;

  beforeAll(async () => {
    db = open(database.url());
    m = defineModels(db);
  });
  // Every test starts from empty tables with fresh identities, whatever ran before it.
  beforeEach(async () => {
    await adminQuery(database.url(), 'TRUNCATE shop.order_lines, shop.products, shop.customers RESTART IDENTITY CASCADE');
  });
  /** The two products order lines refer to, for the tests that need them. */
  const stock = () =>
    m.Product.insertMany([
      { sku: 'PEN', title: 'Pen', price: '1.50' },
      { sku: 'CUP', title: 'Cup', price: 120 },
    ]);
  afterAll(() => db.close());

  it('createTables({ safe: true }), twice, leaves pg_catalog exactly as it was', async () => {
    const before = await snapshot();
    expect(before.length).toBeGreaterThan(40);
    const all = [m.Customer, m.Product, m.OrderLine, m.CustomerTotal, m.BigLine];
    await db.createTables(all, { safe: true });
    db.createTablesSync(all, { safe: true });
    expect(await snapshot()).toEqual(before);
  });

  it('identity and DEFAULT now() come back through RETURNING; an identity ALWAYS is never written', async () => {
    const { Customer } = m;
    const log = recordQueries(db);
    const ada = await Customer.create({ fullName: 'Ada', email: 'ada@example.com' });
    expect(log.sql[0]).toMatch(/^INSERT INTO "shop"."customers" \("full_name", "email"\) VALUES/);
    expect(ada.id).toBe(1);
    expect(ada.tags).toEqual([]);
    expect(ada.createdAt).toBeInstanceOf(Date);
    expect(Math.abs(ada.createdAt.getTime() - Date.now())).toBeLessThan(60_000);

    log.reset();
    await expect(Customer.create({ id: 7, fullName: 'X', email: 'x@example.com' })).rejects.toThrow(ValidationError);
    await expect(Customer.create({ id: 7, fullName: 'X', email: 'x@example.com' })).rejects.toThrow(/Customer\.id: is an identity column GENERATED ALWAYS/);
    expect(() => {
      ada.id = 9;
    }).toThrow(ValidationError);
    expect(log.count).toBe(0);
  });

  it('an identity BY DEFAULT is numbered by the server, and may still be given', async () => {
    const { Product } = m;
    const pen = await Product.create({ sku: 'PEN', title: 'Pen', price: '1.50' });
    expect(pen.serialNo).toBe(1n);
    const cup = await Product.create({ sku: 'CUP', title: 'Cup', price: 120, serialNo: 100n });
    expect(cup.serialNo).toBe(100n);
  });

  it('a generated column is read after insert and after save, and refused as a write before any SQL', async () => {
    await stock();
    const { Customer, OrderLine } = m;
    const bob = await Customer.create({ fullName: 'Bob', email: 'bob@example.com' });
    const line = await OrderLine.create({ orderNo: 1, lineNo: 1, customer: bob, product: 'PEN', unitPrice: '1.50' });
    expect([line.qty, line.total]).toEqual([1, '1.50']);
    line.qty = 4;
    await line.save();
    expect(line.total).toBe('6.00');
    expect((await OrderLine.getById([1, 1])).total).toBe('6.00');

    const log = recordQueries(db);
    expect(() => {
      line.total = '1.00';
    }).toThrow(/OrderLine\.total: is a generated column/);
    expect(() => OrderLine.update({ total: '1' })).toThrow(ValidationError);
    await expect(OrderLine.insertMany([{ orderNo: 2, lineNo: 1, customer: bob, product: 'PEN', unitPrice: 1, total: '9' }])).rejects.toThrow(
      /generated column/,
    );
    expect(log.count).toBe(0);
    // Comparing with a generated column is a read, not a write.
    expect(await OrderLine.select().where(OrderLine.c.total.gt(5)).count()).toBe(1);
  });

  it('insertMany with server defaults, upsert, bulkUpdate, delete and a self-reference', async () => {
    await stock();
    const { Customer, Product, OrderLine } = m;
    const cy = await Customer.create({ fullName: 'Cy', email: 'cy@example.com', tags: ['vip'] });
    expect(
      await Customer.insertMany([
        { fullName: 'Di', email: 'di@example.com', referredBy: cy },
        { fullName: 'Ed', email: 'ed@example.com', referredBy: cy.id, prefs: { theme: 'dark' } },
      ]),
    ).toBe(2);
    const referred = await Customer.select().where(Customer.c.referredBy.eq(cy)).orderBy(Customer.c.fullName);
    expect(referred.map((c) => [c.fullName, c.referredById, c.tags, c.createdAt instanceof Date])).toEqual([
      ['Di', cy.id, [], true],
      ['Ed', cy.id, [], true],
    ]);
    const upserted = await Customer.insertMany([{ fullName: 'Cy Two', email: 'cy@example.com' }])
      .onConflict({ target: [Customer.c.email], update: { fullName: 'Cy Renamed' } })
      .returning(Customer.c.id, Customer.c.fullName);
    expect(upserted.map((c) => [c.id, c.fullName])).toEqual([[cy.id, 'Cy Renamed']]);

    const products = await Product.select().orderBy(Product.c.sku);
    for (const p of products) p.price = '2.25';
    expect(await Product.bulkUpdate(products, ['price'])).toBe(products.length);
    expect((await Product.select(Product.c.price).distinct().tuples()).map(([p]) => p)).toEqual(['2.25']);

    await OrderLine.create({ orderNo: 3, lineNo: 1, customer: cy, product: 'CUP', unitPrice: 200 });
    expect(await OrderLine.delete().where(OrderLine.c.orderNo.eq(3))).toBe(1);
  });

  it('array, JSONB and text-search operators filter the hand-mapped columns (checked against plain SQL)', async () => {
    const { Customer, Product } = m;
    await Customer.insertMany([
      { fullName: 'Op A', email: 'op-a@example.com', tags: ['red', 'blue'], prefs: { theme: 'dark', size: { w: 3 } } },
      { fullName: 'Op B', email: 'op-b@example.com', tags: ['blue'], prefs: { theme: 'light', beta: true } },
      { fullName: 'Op C', email: 'op-c@example.com', tags: [], prefs: null },
    ]);
    const names = async (...conditions: Expressible[]) =>
      (
        await Customer.select(Customer.c.fullName)
          .where(Customer.c.email.like('op-%'), ...conditions)
          .orderBy(Customer.c.fullName)
          .tuples()
      ).map(([n]) => n);
    const c = Customer.c;
    expect(await names(c.tags.contains('blue'))).toEqual(['Op A', 'Op B']);
    expect(await names(c.tags.containedBy(['blue', 'green']))).toEqual(['Op B', 'Op C']);
    expect(await names(c.tags.overlaps(['red', 'x']))).toEqual(['Op A']);
    expect(await names(c.tags.includes('red'))).toEqual(['Op A']);
    expect(await names(c.tags.at(1).eq('blue'))).toEqual(['Op B']);
    expect(await names(c.tags.length().eq(0))).toEqual(['Op C']);
    expect(await names(c.prefs.contains({ theme: 'dark' }))).toEqual(['Op A']);
    expect(await names(c.prefs.containedBy({ theme: 'light', beta: true, extra: 1 }))).toEqual(['Op B']);
    expect(await names(c.prefs.hasKey('beta'))).toEqual(['Op B']);
    expect(await names(c.prefs.hasAnyKey('size', 'beta'))).toEqual(['Op A', 'Op B']);
    expect(await names(c.prefs.hasAllKeys('theme', 'size'))).toEqual(['Op A']);
    expect(await names(c.prefs.getText('theme').eq('light'))).toEqual(['Op B']);
    expect(await names(c.prefs.pathText('size', 'w').eq('3'))).toEqual(['Op A']);
    const themes = await Customer.select(c.prefs.get('theme').as('theme'), c.prefs.path('size', 'w').as('w')).where(c.email.eq('op-a@example.com')).dicts();
    expect(themes).toEqual([{ theme: 'dark', w: 3 }]);

    await Product.create({ sku: 'LAMP', title: 'Reading lamps for night owls', price: 30 });
    const found = await Product.select(Product.c.sku).where(Product.c.search.match('lamp')).tuples();
    expect(found).toEqual([['LAMP']]);
    const plan = await db.execute(sql`SELECT count(*)::int AS n FROM shop.products WHERE search @@ plainto_tsquery('english', 'lamp')`);
    expect(plan.rows).toEqual([{ n: 1 }]);
  });

  it('views are read-only models: queried, joined, and refused every write at run time', async () => {
    await stock();
    const { Customer, OrderLine, CustomerTotal, BigLine } = m;
    const fay = await Customer.create({ fullName: 'Fay', email: 'fay@example.com' });
    await OrderLine.create({ orderNo: 10, lineNo: 1, customer: fay, product: 'CUP', unitPrice: 60, qty: 2 });
    const totals = await CustomerTotal.select(CustomerTotal, Customer).join(Customer).where(Customer.c.email.eq('fay@example.com'));
    expect(totals.map((t) => [t.fullName, t.spent, t.customer.email])).toEqual([['Fay', '120.00', 'fay@example.com']]);
    expect((await BigLine.select().where(BigLine.c.orderNo.eq(10))).map((b) => b.total)).toEqual(['120.00']);

    const log = recordQueries(db);
    const View = CustomerTotal as unknown as {
      insert(d: object): unknown;
      insertMany(d: object[]): unknown;
      create(d: object): Promise<unknown>;
      update(d: object): unknown;
      bulkUpdate(rows: object[], fields: string[]): Promise<unknown>;
      getOrCreate(lookup: unknown, defaults?: object): Promise<unknown>;
      delete(): unknown;
      createTable(): Promise<void>;
      truncate(): Promise<void>;
    };
    expect(() => View.insert({ fullName: 'x' })).toThrow(/CustomerTotal is read-only \(\{ readOnly: true \}/);
    expect(() => View.insertMany([{ fullName: 'x' }])).toThrow(/CustomerTotal is read-only/);
    await expect(Promise.resolve().then(() => View.create({ fullName: 'x' }))).rejects.toThrow(/CustomerTotal is read-only/);
    await expect(Promise.resolve().then(() => View.bulkUpdate(totals, ['spent']))).rejects.toThrow(/CustomerTotal is read-only/);
    await expect(Promise.resolve().then(() => View.getOrCreate(CustomerTotal.c.spent.eq(1)))).rejects.toThrow(/CustomerTotal is read-only/);
    expect(() => View.update({ fullName: 'x' })).toThrow(/read-only/);
    expect(() => View.delete()).toThrow(/read-only/);
    await expect(View.createTable()).rejects.toThrow(/read-only/);
    await expect(View.truncate()).rejects.toThrow(/read-only/);
    const row = totals[0] as unknown as { save(): Promise<number>; deleteInstance(): Promise<number> };
    await expect(row.save()).rejects.toThrow(/cannot be saved/);
    await expect(row.deleteInstance()).rejects.toThrow(/cannot be deleted/);
    expect(log.count).toBe(0);
  });

  it('createTables and dropTables skip read-only models: no statement names the view, and it stays', async () => {
    const { Customer, CustomerTotal, BigLine } = m;
    const log = recordQueries(db);
    await db.dropTables([CustomerTotal, BigLine]);
    await db.createTables([CustomerTotal, BigLine]);
    // The model's own dropTable() is refused instead, like createTable().
    const View = CustomerTotal as unknown as { dropTable(): Promise<void> }; // never, in the types
    await expect(View.dropTable()).rejects.toThrow(/CustomerTotal is read-only .*cannot be dropped/);
    expect(log.sql).toEqual([]);
    // With a table beside it, only the table's statements are sent.
    await db.createTables([Customer, CustomerTotal], { safe: true });
    expect(log.sql.filter((s) => s.includes('customer_totals'))).toEqual([]);
    log.stop();
    expect(await CustomerTotal.select().count()).toBe(0);
  });

  it('prefetch, streaming and the blocking twins on the mapped schema', async () => {
    await stock();
    const { Customer, OrderLine } = m;
    const gus = await Customer.create({ fullName: 'Gus', email: 'gus@example.com' });
    await OrderLine.insertMany([
      { orderNo: 20, lineNo: 1, customer: gus, product: 'PEN', unitPrice: 1 },
      { orderNo: 20, lineNo: 2, customer: gus, product: 'CUP', unitPrice: 2, qty: 3 },
    ]);
    const log = recordQueries(db);
    const prefetched = await OrderLine.select().where(OrderLine.c.orderNo.eq(20)).prefetch(Customer);
    expect(prefetched.map((l) => l.customer.fullName)).toEqual(['Gus', 'Gus']);
    expect(log.count).toBe(2);
    log.stop();
    const streamed: string[] = [];
    if (db instanceof PooledPostgresqlDatabase) {
      for await (const line of OrderLine.select().where(OrderLine.c.orderNo.eq(20)).orderBy(OrderLine.c.lineNo).iterator({ batchSize: 1 }))
        streamed.push(String(line.total));
      expect(streamed).toEqual(['1.00', '6.00']);
    }
    const sync = OrderLine.select().where(OrderLine.c.orderNo.eq(20)).orderBy(OrderLine.c.lineNo).allSync();
    expect(sync.map((l) => [l.lineNo, l.total])).toEqual([
      [1, '1.00'],
      [2, '6.00'],
    ]);
    const created = Customer.createSync({ fullName: 'Hal', email: 'hal@example.com' });
    expect(typeof created.id).toBe('number');
    expect(created.createdAt).toBeInstanceOf(Date);
  });
});
