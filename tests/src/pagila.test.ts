// Pagila (tests/fixtures/pagila, a stored copy of shared/pagila), a real DVD-rental database loaded with psql as its README says, mapped by hand: every
// table and view, an enum, a domain, tsvector, text[], character(n), numeric, composite keys, a partitioned table
// and server defaults, without one sql fragment for a column type. Queried and written through every path, on
// both backends; createTables({ safe: true }) leaves its catalog exactly as it was.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AnyModelClass, Database } from '@pewit/core';
import {
  ArrayField,
  AutoField,
  BooleanField,
  ByteaField,
  CompositeKey,
  customField,
  DateField,
  DateTimeField,
  DecimalField,
  EnumField,
  excluded,
  FixedCharField,
  ForeignKeyField,
  fn,
  IntegerField,
  model,
  SmallIntegerField,
  sql,
  TextField,
  TSVectorField,
} from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { adminQuery, recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGILA_DIR } from './fixtures/pagila.js';
import { CATALOG_SNAPSHOT_SQL } from './fixtures/shop-schema.js';

const pagila = PAGILA_DIR;
const database = useTestDatabase();

/** Pagila's own defaults and triggers fill these; pewit leaves them out of its INSERTs. */
const now = () => DateTimeField({ default: sql`now()` });

function defineModels(db: Database) {
  const o = { database: db };
  // The domain `year` (integer, 1901–2155), mapped over its base type; the server checks its range.
  const Year = () =>
    customField<number>({
      sqlType: 'year',
      null: true,
      toDatabase: (v) => String(v),
      fromDatabase: (text) => Number.parseInt(text, 10),
      validate: (v) => (Number.isInteger(v) ? undefined : 'expected an integer year'),
    });

  class Country extends model('country', { id: AutoField({ columnName: 'country_id' }), country: TextField(), lastUpdate: now() }, o) {}
  class City extends model(
    'city',
    { id: AutoField({ columnName: 'city_id' }), city: TextField(), country: ForeignKeyField(() => Country), lastUpdate: now() },
    o,
  ) {}
  class Address extends model(
    'address',
    {
      id: AutoField({ columnName: 'address_id' }),
      address: TextField(),
      address2: TextField({ null: true }),
      district: TextField(),
      city: ForeignKeyField(() => City),
      postalCode: TextField({ null: true }),
      phone: TextField(),
      lastUpdate: now(),
    },
    o,
  ) {}
  class Language extends model('language', { id: AutoField({ columnName: 'language_id' }), name: FixedCharField({ length: 20 }), lastUpdate: now() }, o) {}
  class Film extends model(
    'film',
    {
      id: AutoField({ columnName: 'film_id' }),
      title: TextField(),
      description: TextField({ null: true }),
      releaseYear: Year(),
      language: ForeignKeyField(() => Language),
      originalLanguage: ForeignKeyField(() => Language, { null: true }),
      rentalDuration: SmallIntegerField({ default: sql`3` }),
      rentalRate: DecimalField({ maxDigits: 4, decimalPlaces: 2, default: sql`4.99` }),
      length: SmallIntegerField({ null: true }),
      replacementCost: DecimalField({ maxDigits: 5, decimalPlaces: 2, default: sql`19.99` }),
      rating: EnumField(['G', 'PG', 'PG-13', 'R', 'NC-17'] as const, { typeName: 'mpaa_rating', createType: false, null: true }),
      lastUpdate: now(),
      specialFeatures: ArrayField(TextField(), { null: true }),
      // Filled by Pagila's film_fulltext_trigger on every INSERT and UPDATE.
      fulltext: TSVectorField({ default: sql`''::tsvector` }),
    },
    o,
  ) {}
  class Actor extends model('actor', { id: AutoField({ columnName: 'actor_id' }), firstName: TextField(), lastName: TextField(), lastUpdate: now() }, o) {}
  class Category extends model('category', { id: AutoField({ columnName: 'category_id' }), name: TextField(), lastUpdate: now() }, o) {}
  class FilmActor extends model(
    'film_actor',
    { actor: ForeignKeyField(() => Actor), film: ForeignKeyField(() => Film), lastUpdate: now() },
    { ...o, primaryKey: CompositeKey('actor', 'film') },
  ) {}
  class FilmCategory extends model(
    'film_category',
    { film: ForeignKeyField(() => Film), category: ForeignKeyField(() => Category), lastUpdate: now() },
    { ...o, primaryKey: CompositeKey('film', 'category') },
  ) {}
  class Staff extends model(
    'staff',
    {
      id: AutoField({ columnName: 'staff_id' }),
      firstName: TextField(),
      lastName: TextField(),
      address: ForeignKeyField(() => Address),
      email: TextField({ null: true }),
      store: ForeignKeyField((): AnyModelClass => Store),
      active: BooleanField({ default: sql`true` }),
      username: TextField(),
      password: TextField({ null: true }),
      lastUpdate: now(),
      picture: ByteaField({ null: true }),
    },
    o,
  ) {}
  class Store extends model(
    'store',
    {
      id: AutoField({ columnName: 'store_id' }),
      managerStaff: ForeignKeyField((): AnyModelClass => Staff),
      address: ForeignKeyField(() => Address),
      lastUpdate: now(),
    },
    o,
  ) {}
  class Customer extends model(
    'customer',
    {
      id: AutoField({ columnName: 'customer_id' }),
      store: ForeignKeyField(() => Store),
      firstName: TextField(),
      lastName: TextField(),
      email: TextField({ null: true }),
      address: ForeignKeyField(() => Address),
      activebool: BooleanField({ default: sql`true` }),
      createDate: DateField({ default: sql`CURRENT_DATE` }),
      lastUpdate: DateTimeField({ null: true, default: sql`now()` }),
      active: IntegerField({ null: true }),
    },
    o,
  ) {}
  class Inventory extends model(
    'inventory',
    { id: AutoField({ columnName: 'inventory_id' }), film: ForeignKeyField(() => Film), store: ForeignKeyField(() => Store), lastUpdate: now() },
    o,
  ) {}
  class Rental extends model(
    'rental',
    {
      id: AutoField({ columnName: 'rental_id' }),
      rentalDate: DateTimeField(),
      inventory: ForeignKeyField(() => Inventory),
      customer: ForeignKeyField(() => Customer),
      returnDate: DateTimeField({ null: true }),
      staff: ForeignKeyField(() => Staff),
      lastUpdate: now(),
    },
    o,
  ) {}
  // Partitioned by payment_date, with no primary key on the parent table.
  class Payment extends model(
    'payment',
    {
      paymentId: IntegerField({ default: sql`nextval('payment_payment_id_seq')` }),
      customer: ForeignKeyField(() => Customer),
      staff: ForeignKeyField(() => Staff),
      rental: ForeignKeyField(() => Rental),
      amount: DecimalField({ maxDigits: 5, decimalPlaces: 2 }),
      paymentDate: DateTimeField(),
    },
    o,
  ) {}

  const view = { ...o, readOnly: true } as const;
  class ActorInfo extends model(
    'actor_info',
    { actor: ForeignKeyField(() => Actor), firstName: TextField(), lastName: TextField(), filmInfo: TextField({ null: true }) },
    view,
  ) {}
  const listColumns = () => ({
    id: IntegerField(),
    name: TextField(),
    address: TextField(),
    zipCode: TextField({ null: true, columnName: 'zip code' }),
    phone: TextField(),
    city: TextField(),
    country: TextField(),
    sid: IntegerField(),
  });
  class CustomerList extends model('customer_list', { ...listColumns(), notes: TextField() }, view) {}
  class StaffList extends model('staff_list', listColumns(), view) {}
  const filmListColumns = () => ({
    fid: IntegerField(),
    title: TextField(),
    description: TextField({ null: true }),
    category: TextField(),
    price: DecimalField({ maxDigits: 4, decimalPlaces: 2 }),
    length: SmallIntegerField({ null: true }),
    rating: EnumField(['G', 'PG', 'PG-13', 'R', 'NC-17'] as const, { typeName: 'mpaa_rating', createType: false, null: true }),
    actors: TextField({ null: true }),
  });
  class FilmList extends model('film_list', filmListColumns(), view) {}
  class NicerButSlowerFilmList extends model('nicer_but_slower_film_list', filmListColumns(), view) {}
  class SalesByFilmCategory extends model('sales_by_film_category', { category: TextField(), totalSales: DecimalField() }, view) {}
  class SalesByStore extends model('sales_by_store', { store: TextField(), manager: TextField(), totalSales: DecimalField() }, view) {}

  const tables = [Country, City, Address, Language, Film, Actor, Category, FilmActor, FilmCategory, Staff, Store, Customer, Inventory, Rental, Payment];
  const views = [ActorInfo, CustomerList, StaffList, FilmList, NicerButSlowerFilmList, SalesByFilmCategory, SalesByStore];
  return { Country, City, Language, Film, Actor, Category, FilmActor, Store, Customer, Inventory, Payment, FilmList, SalesByStore, tables, views };
}

const backends: [string, (url: string) => Database][] = [
  ['single connection', (url) => new PostgresqlDatabase(url)],
  ['pooled', (url) => new PooledPostgresqlDatabase(url, { max: 3 })],
];

beforeAll(() => {
  if (!existsSync(join(pagila, 'pagila-schema.sql')))
    throw new Error(`Pagila is not at ${pagila}: it is stored in the repository (tests/fixtures/pagila); restore it with git`);
  for (const file of ['pagila-schema.sql', 'pagila-data.sql']) {
    try {
      execFileSync('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', '-d', database.url(), '-f', join(pagila, file)], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
      if (e.code === 'ENOENT') throw new Error('psql is not installed: Pagila is loaded with psql, as its README says (apt-get install postgresql-client)');
      throw new Error(`psql -f ${file} failed: ${e.stderr?.toString().slice(0, 2000)}`);
    }
  }
}, 120_000);

describe.each(backends)('Pagila mapped by hand, %s backend', (_label, open) => {
  let db: Database;
  let m: ReturnType<typeof defineModels>;
  beforeAll(() => {
    db = open(database.url());
    m = defineModels(db);
  });
  afterAll(() => db.close());

  it('createTables({ safe: true }), twice, leaves the catalog of the whole database unchanged', async () => {
    const snapshot = async () => (await adminQuery(database.url(), CATALOG_SNAPSHOT_SQL, ['public'])).rows.map((r) => r.item as string);
    const before = await snapshot();
    expect(before.length).toBeGreaterThan(300);
    await db.createTables([...m.tables, ...m.views], { safe: true });
    db.createTablesSync([...m.tables, ...m.views], { safe: true });
    expect(await snapshot()).toEqual(before);
  });

  it('every table and view reads, with its types', async () => {
    for (const model of [...m.tables, ...m.views]) expect((await (model as typeof m.Country).select().limit(3)).length).toBeGreaterThan(0);
    expect(await m.Film.select().count()).toBe(1000);
    const film = await m.Film.get(m.Film.c.id.eq(1));
    expect(film.title).toBe('ACADEMY DINOSAUR');
    expect(film.rating).toBe('PG');
    expect(film.releaseYear).toBe(2006);
    expect(film.specialFeatures).toEqual(['Deleted Scenes', 'Behind the Scenes']);
    expect(film.rentalRate).toBe('0.99');
    expect(typeof film.fulltext).toBe('string');
    expect((await m.Language.getById(1)).name).toBe('English');
  });

  it('filters on enums, arrays, tsvector, the domain and a column named length; joins with two keys to one table', async () => {
    const { Film, Language, FilmList } = m;
    const long = await Film.select(Film.c.id)
      .where(
        Film.c.rating.eq('PG-13'),
        Film.c.specialFeatures.contains('Trailers'),
        Film.c.fulltext.match('drama'),
        Film.c.releaseYear.eq(2006),
        Film.c.length.gt(150),
      )
      .tuples();
    const expected = await adminQuery(
      database.url(),
      `SELECT film_id FROM film WHERE rating = 'PG-13' AND special_features @> ARRAY['Trailers'] AND fulltext @@ plainto_tsquery('drama') AND release_year = 2006 AND length > 150 ORDER BY 1`,
    );
    expect(long.map(([id]) => id).sort((a, b) => a - b)).toEqual(expected.rows.map((r) => r.film_id));
    expect(long.length).toBeGreaterThan(0);

    const joined = await Film.select(Film, Language)
      .join(Language, { on: Film.c.language.eq(Language.c.id) })
      .where(Film.c.title.startsWith('ZORRO'));
    expect(joined.map((f) => [f.title, f.language.name])).toEqual([['ZORRO ARK', 'English']]);
    const action = await FilmList.select(FilmList.c.title)
      .where(FilmList.c.category.eq('Action'), FilmList.c.rating.in(['G', 'PG']))
      .count();
    expect(action).toBeGreaterThan(0);
  });

  it('insert, insertMany, upsert, bulkUpdate of an enum column, save and delete', async () => {
    const { Actor, Category, Film } = m;
    const log = recordQueries(db);
    const actor = await Actor.create({ firstName: 'ADA', lastName: 'LOVELACE' });
    expect(actor.id).toBeGreaterThan(200);
    expect(actor.lastUpdate).toBeInstanceOf(Date);
    expect(
      await Actor.insertMany([
        { firstName: 'A', lastName: 'B' },
        { firstName: 'C', lastName: 'D' },
      ]),
    ).toBe(2);
    const noir = await Category.create({ name: 'Noir' });
    const [upserted] = await Category.insertMany([{ id: noir.id, name: 'Film Noir' }])
      .onConflict({ target: [Category.c.id], update: { name: excluded(Category.c.name) } })
      .returning(Category.c.id, Category.c.name);
    expect([upserted?.id, upserted?.name]).toEqual([noir.id, 'Film Noir']);

    const films = await Film.select()
      .where(Film.c.id.in([2, 3, 4]))
      .orderBy(Film.c.id);
    for (const f of films) f.rating = 'NC-17';
    log.reset();
    expect(await Film.bulkUpdate(films, ['rating'])).toBe(3);
    expect(log.sql[0]).not.toContain('::text');
    expect(
      (
        await Film.select(Film.c.rating)
          .where(Film.c.id.in([2, 3, 4]))
          .tuples()
      ).map(([r]) => r),
    ).toEqual(['NC-17', 'NC-17', 'NC-17']);

    const film = await Film.getById(5);
    film.length = 99;
    film.description = 'A film about saving';
    await film.save();
    expect((await Film.getById(5)).length).toBe(99);
    // The trigger rewrote fulltext from the new description.
    expect(await Film.select().where(Film.c.id.eq(5), Film.c.fulltext.match('saving')).count()).toBe(1);

    expect(await actor.deleteInstance()).toBe(1);
  });

  it('prefetch, streaming, and the blocking twins', async () => {
    const { City, Country, Film, Actor, FilmActor, Payment, SalesByStore } = m;
    const log = recordQueries(db);
    const cities = await City.select().where(City.c.city.startsWith('A')).prefetch(Country);
    expect(log.count).toBe(2);
    expect(cities.every((c) => typeof c.country.country === 'string')).toBe(true);
    expect(log.count).toBe(2);
    log.stop();

    let streamed = 0;
    for await (const payment of Payment.select().where(Payment.c.amount.gt(9)).iterator({ batchSize: 100 })) {
      expect(Number(payment.amount)).toBeGreaterThan(9);
      streamed++;
    }
    const expected = await adminQuery(database.url(), 'SELECT count(*)::int AS n FROM payment WHERE amount > 9');
    expect(streamed).toBe(expected.rows[0]?.n);

    const links = FilmActor.select(FilmActor, Actor).join(Actor).where(FilmActor.c.film.eq(1)).allSync();
    expect(links.length).toBe(10);
    expect(links.every((l) => l.actor.firstName.length > 0)).toBe(true);
    expect(Film.getByIdSync(1).title).toBe('ACADEMY DINOSAUR');
    expect(SalesByStore.select().allSync()).toHaveLength(2);
    const total = await Payment.select(fn.sum(Payment.c.amount).as('total')).scalar();
    expect(Number(total)).toBeGreaterThan(60_000);
  });
});
