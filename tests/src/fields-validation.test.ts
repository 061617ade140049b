import {
  ArrayField,
  AutoField,
  BigIntegerField,
  CharField,
  compile,
  DateField,
  DateTimeField,
  DecimalField,
  FloatField,
  ForeignKeyField,
  IntegerField,
  JSONField,
  model,
  TextField,
  TimeField,
  UUIDField,
  ValidationError,
} from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();

function defineModels(db: PostgresqlDatabase) {
  class User extends model('users', { id: AutoField(), username: CharField({ maxLength: 5 }) }, { database: db }) {}
  class Item extends model(
    'items',
    {
      id: AutoField(),
      owner: ForeignKeyField(() => User),
      qty: IntegerField({ default: 0 }),
      big: BigIntegerField({ null: true }),
      ratio: FloatField({ null: true }),
      price: DecimalField({ null: true }),
      cash: DecimalField({ maxDigits: 5, decimalPlaces: 2, null: true }),
      title: TextField({ default: 't' }),
      at: DateTimeField({ null: true }),
      day: DateField({ null: true }),
      clock: TimeField({ null: true }),
      uid: UUIDField({ null: true }),
      doc: JSONField<unknown>({ null: true }),
      ints: ArrayField(IntegerField(), { null: true }),
      maybe: ArrayField(IntegerField({ null: true }), { null: true }),
    },
    { database: db },
  ) {}
  return { User, Item };
}

let db: PostgresqlDatabase;
let m: ReturnType<typeof defineModels>;
let owner: InstanceType<ReturnType<typeof defineModels>['User']>;

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  m = defineModels(db);
  await db.createTables([m.User, m.Item]);
  owner = await m.User.create({ username: 'ann' });
});
afterAll(() => db.close());

const cyclic: Record<string, unknown> = { a: 1 };
cyclic.self = { back: cyclic };

/** Bad values per field, and what the message must say. */
const BAD: [field: string, value: unknown, message: RegExp][] = [
  ['qty', '12', /^Item\.qty: expected an integer.*, received "12" \(string\)$/],
  ['qty', 1.5, /^Item\.qty: expected an integer/],
  ['qty', Number.NaN, /^Item\.qty: expected an integer.*NaN/],
  ['qty', 2 ** 31, /^Item\.qty: expected an integer between -2147483648 and 2147483647/],
  ['ratio', Number.POSITIVE_INFINITY, /^Item\.ratio: expected a finite number, received Infinity/],
  ['ratio', Number.NaN, /^Item\.ratio: expected a finite number/],
  ['ratio', '1.5', /^Item\.ratio: expected a finite number/],
  ['big', 2 ** 53, /^Item\.big: expected a bigint/],
  ['big', '12x', /^Item\.big: expected a bigint/],
  ['big', 2n ** 63n, /^Item\.big: expected a bigint between -9223372036854775808 and 9223372036854775807, received 9223372036854775808n/],
  ['big', '-9223372036854775809', /^Item\.big: expected a bigint between -9223372036854775808 and 9223372036854775807/],
  ['cash', '1000', /^Item\.cash: expected at most 3 digit\(s\) before the decimal point \(numeric\(5, 2\)/],
  ['cash', '999.995', /^Item\.cash: expected at most 3 digit\(s\) before the decimal point .*received "999\.995"/],
  ['cash', -1234.5, /^Item\.cash: expected at most 3 digit/],
  ['cash', '1e3', /^Item\.cash: expected at most 3 digit/],
  ['cash', 10n ** 40n, /^Item\.cash: expected at most 3 digit/],
  ['doc', { a: [1, Number.NaN] }, /^Item\.doc: expected a JSON value: NaN at \$\.a\[1\] is not JSON \(it would be stored as null\)/],
  ['doc', { 'odd key': Number.NEGATIVE_INFINITY }, /^Item\.doc: expected a JSON value: -Infinity at \$\["odd key"\] is not JSON/],
  ['doc', [{ n: 1n }], /^Item\.doc: expected a JSON value: the bigint at \$\[0\]\.n is not JSON/],
  ['doc', cyclic, /^Item\.doc: expected a JSON value: the value is cyclic: \$\.self\.back refers back to an enclosing object/],
  ['price', Number.NaN, /^Item\.price: expected a decimal number/],
  ['price', 'twelve', /^Item\.price: expected a decimal number/],
  ['title', { toString: () => 'x' }, /^Item\.title: expected a string, received Object \(object\)$/],
  ['title', 42, /^Item\.title: expected a string/],
  ['title', 'nul\u0000char', /^Item\.title: text cannot contain NUL characters/],
  ['at', new Date('nope'), /^Item\.at: expected a valid Date, received Date\(Invalid Date\)$/],
  ['at', 'not a date', /^Item\.at: expected a valid Date/],
  ['at', 1700000000000, /^Item\.at: expected a valid Date/],
  ['day', '2024-02-30', /^Item\.day: expected a 'YYYY-MM-DD' string or a Date/],
  ['day', '24-1-1', /^Item\.day: expected a 'YYYY-MM-DD'/],
  ['clock', '25:00', /^Item\.clock: expected a time of day/],
  ['clock', 'noon', /^Item\.clock: expected an 'HH:MM/],
  ['uid', 'not-a-uuid', /^Item\.uid: expected a UUID string/],
  ['doc', 10n, /^Item\.doc: expected a JSON value/],
  ['doc', Number.NaN, /^Item\.doc: expected a JSON value \(NaN and Infinity are not JSON\)/],
  ['ints', [1, 'two'], /^Item\.ints: element 1: expected an integer/],
  ['ints', 'not an array', /^Item\.ints: expected an array/],
  ['ints', [1, null], /^Item\.ints: element 1 is null; to allow NULL elements declare the element field with \{ null: true \}/],
  ['maybe', [null, 'x'], /^Item\.maybe: element 1: expected an integer/],
  ['owner', 'abc', /^Item\.owner: expected a User or its id/],
  ['owner', 1.5, /^Item\.owner: expected a User or its id/],
  ['owner', null, /^Item\.owner: cannot be null \(declare it with \{ null: true \} to allow it\)$/],
  ['qty', null, /^Item\.qty: cannot be null/],
];

function expectRefused(run: () => unknown, field: string, message: RegExp) {
  let error: unknown;
  try {
    run();
  } catch (e) {
    error = e;
  }
  expect(error, `${field} was accepted`).toBeInstanceOf(ValidationError);
  expect((error as ValidationError).model).toBe('Item');
  expect((error as ValidationError).field).toBe(field);
  expect((error as Error).message).toMatch(message);
}

describe('invalid values are refused before any SQL is sent', () => {
  it.each(BAD)('%s = %o is refused everywhere a value goes in', async (field, bad, message) => {
    const { Item } = m;
    const log = recordQueries(db);
    const data = { owner, [field]: bad } as never;
    expectRefused(() => new Item(data), field, message);
    const item = new Item({ owner });
    expectRefused(
      () => {
        (item as unknown as Record<string, unknown>)[field] = bad;
      },
      field,
      message,
    );
    await expect(Item.create(data)).rejects.toThrow(ValidationError);
    expectRefused(() => Item.createSync(data), field, message);
    expectRefused(() => compile(Item.insert(data).toNode()), field, message);
    expectRefused(() => compile(Item.insertMany([{ owner }, data]).toNode()), field, message);
    expectRefused(() => Item.update({ [field]: bad } as never), field, message);
    if (bad !== null) {
      const column = (Item as unknown as Record<string, { eq(v: unknown): unknown; ne(v: unknown): unknown; in(v: unknown[]): unknown }>)[field];
      expectRefused(() => column?.eq(bad), field, message);
      expectRefused(() => Item.select().where(column?.ne(bad) as never), field, message);
      expectRefused(() => column?.in([bad]), field, message);
    }
    await expect(Item.getOrCreate({ [field]: bad } as never)).rejects.toThrow(ValidationError);
    expect(log.count).toBe(0);
    log.stop();
  });

  it('an over-long CharField value counts characters, not bytes, and is refused', async () => {
    const { User } = m;
    const log = recordQueries(db);
    expect(() => new User({ username: 'toolong' })).toThrow(/^User\.username: expected at most 5 characters \(this one has 7\), received "toolong"/);
    await expect(User.create({ username: '😀😀😀😀😀😀' })).rejects.toThrow(/at most 5 characters \(this one has 6\)/);
    expect(log.count).toBe(0);
    await User.create({ username: '😀😀😀😀😀' });
    expect(log.count).toBe(1);
    log.stop();
  });

  it('a foreign key refuses an instance of another model, and an unsaved instance', async () => {
    const { Item, User } = m;
    const log = recordQueries(db);
    const item = new Item({ owner });
    expect(() => {
      (item as unknown as { owner: unknown }).owner = item;
    }).toThrow(/^Item\.owner: expected a User or its key/);
    expect(() => new Item({ owner: new User({ username: 'x' }) })).toThrow(/^Item\.owner: the User has no id yet: save it first/);
    expect(() => Item.select().where(Item.owner.eq('x' as never))).toThrow(ValidationError);
    expect(log.count).toBe(0);
    log.stop();
  });

  it('a missing required field is refused on insert, naming it', async () => {
    const { Item, User } = m;
    const log = recordQueries(db);
    await expect(Item.create({} as never)).rejects.toThrow(/^Item\.owner: is required/);
    await expect(User.insertMany([{ username: 'a' }, {} as never])).rejects.toThrow(/^User\.username: is required/);
    expect(log.count).toBe(0);
    log.stop();
  });

  it('valid values of every kind are accepted and converted', async () => {
    const { Item } = m;
    const item = await Item.create({
      owner: owner.id,
      qty: 3,
      big: 5,
      ratio: 2,
      price: 12.5,
      cash: '-999.994',
      at: '2024-01-02T03:04:05.006Z',
      day: new Date('2024-01-02T23:00:00Z'),
      clock: '07:08:09.100',
      uid: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11',
      doc: { x: [1] },
      maybe: [1, null],
    });
    expect(item).toMatchObject({ qty: 3, big: 5n, ratio: 2, price: '12.5', cash: '-999.99', day: '2024-01-02', clock: '07:08:09.1', maybe: [1, null] });
    expect(item.at?.toISOString()).toBe('2024-01-02T03:04:05.006Z');
    expect(item.ownerId).toBe(owner.id);
  });

  it('the edges of int8 and numeric(p, s), and a JSON value that shares (not cycles) an object, are accepted', async () => {
    const { Item } = m;
    const shared = { k: 1 };
    const low = await Item.create({ owner, big: -(2n ** 63n), cash: '999.99', doc: { a: shared, b: [shared] } });
    const high = await Item.create({ owner, big: 2n ** 63n - 1n, cash: '.004', doc: { when: new Date(0) } });
    const [a, b] = await Promise.all([Item.getById(low.id), Item.getById(high.id)]);
    expect(a).toMatchObject({ big: -(2n ** 63n), cash: '999.99', doc: { a: { k: 1 }, b: [{ k: 1 }] } });
    expect(b).toMatchObject({ big: 2n ** 63n - 1n, cash: '0.00', doc: { when: '1970-01-01T00:00:00.000Z' } });
  });
});
