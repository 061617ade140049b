import {
  ArrayField,
  AutoField,
  BigAutoField,
  BigIntegerField,
  BooleanField,
  ByteaField,
  CharField,
  DateField,
  DateTimeField,
  DecimalField,
  FloatField,
  ForeignKeyField,
  IntegerField,
  JSONField,
  model,
  SmallIntegerField,
  sql,
  TextField,
  TimeField,
  UUIDField,
} from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();

type Json = { a: number; nested: { list: (number | null | string)[]; empty: object; flag: boolean }; quote: string } | unknown[];

function defineModels(db: PostgresqlDatabase) {
  class Owner extends model('owners', { id: AutoField(), label: TextField() }, { database: db }) {}
  class Everything extends model(
    'everything',
    {
      id: BigAutoField(),
      int: IntegerField({ null: true }),
      small: SmallIntegerField({ null: true }),
      big: BigIntegerField({ null: true }),
      float: FloatField({ null: true }),
      money: DecimalField({ maxDigits: 40, decimalPlaces: 20, null: true }),
      exact: DecimalField({ null: true }),
      code: CharField({ maxLength: 10, null: true }),
      body: TextField({ null: true }),
      flag: BooleanField({ null: true }),
      at: DateTimeField({ null: true }),
      day: DateField({ null: true }),
      clock: TimeField({ null: true }),
      uid: UUIDField({ null: true }),
      doc: JSONField<Json>({ null: true }),
      ints: ArrayField(IntegerField({ null: true }), { null: true }),
      bigs: ArrayField(BigIntegerField({ null: true }), { null: true }),
      texts: ArrayField(TextField({ null: true }), { null: true }),
      stamps: ArrayField(DateTimeField({ null: true }), { null: true }),
      blobs: ArrayField(ByteaField({ null: true }), { null: true }),
      bytes: ByteaField({ null: true }),
      owner: ForeignKeyField(() => Owner, { null: true }),
    },
    { database: db },
  ) {}
  return { Owner, Everything };
}

const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const NASTY_TEXTS = ['a,b', 'c"d', '{e}', 'back\\slash', 'NULL', '', ' spaced ', "it's", 'line\nbreak', 'ünï😀', null];

/** Values at the edges of every type; each must come back exactly. */
const ROWS = [
  {
    int: 2147483647,
    small: -32768,
    big: 2n ** 63n - 1n,
    float: 0.1 + 0.2,
    money: '12345678901234567890.12345678901234567890',
    exact: '-0.000000000000000000000000000000000001',
    code: 'héllo😀wörl',
    body: 'quotes \' " and \\ backslashes, $1 placeholders, -- comments; DROP TABLE everything;',
    flag: true,
    at: new Date('2024-02-29T23:59:59.999Z'),
    day: '2024-02-29',
    clock: '23:59:59.999999',
    uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    doc: { a: 1.5, nested: { list: [1, null, 'x', -2e-7], empty: {}, flag: false }, quote: 'he said "hi" \\ \u2028' },
    ints: [1, null, -2147483648, 0],
    bigs: [2n ** 62n + 1n, -(2n ** 63n), null],
    texts: NASTY_TEXTS,
    stamps: [new Date('1999-12-31T23:59:59.001Z'), null],
    blobs: [Buffer.from([0, 1, 255]), Buffer.alloc(0), null],
    bytes: ALL_BYTES,
  },
  {
    int: -2147483648,
    small: 32767,
    big: -(2n ** 63n),
    float: Number.MAX_VALUE,
    money: '-0.00000000000000000001',
    exact: '98765432109876543210987654321098765432109876543210',
    code: '',
    body: '',
    flag: false,
    at: new Date('0001-01-01T00:00:00.000Z'),
    day: '0001-01-01',
    clock: '00:00:00',
    uid: '00000000-0000-0000-0000-000000000000',
    doc: [[], {}, null, 'str', 0, true],
    ints: [],
    bigs: [],
    texts: [],
    stamps: [],
    blobs: [],
    bytes: Buffer.alloc(0),
  },
  {
    int: 0,
    small: 0,
    big: 9007199254740993n, // 2^53 + 1: not representable as a number
    float: Number.MIN_VALUE,
    money: '0.00000000000000000000',
    exact: '1.10',
    code: null,
    body: null,
    flag: null,
    at: new Date('9999-12-31T23:59:59.999Z'),
    day: '9999-12-31',
    clock: '12:00:00.5',
    uid: null,
    doc: null,
    ints: null,
    bigs: null,
    texts: null,
    stamps: null,
    blobs: null,
    bytes: null,
  },
] as const;

let db: PostgresqlDatabase;
let models: ReturnType<typeof defineModels>;

beforeAll(async () => {
  // A time zone with a half-hour offset (and a seconds offset in year 1) proves timestamps are parsed from the server's text, not assumed UTC.
  db = new PostgresqlDatabase({ connectionString: database.url(), options: '-c TimeZone=Asia/Kolkata' });
  models = defineModels(db);
  await db.createTables([models.Everything, models.Owner]);
});
afterAll(() => db.close());

/** Only the edge rows, whatever ran before: the tests that read them do not depend on the create test running first. */
async function seedEdgeRows() {
  const { Everything } = models;
  await db.execute(sql`TRUNCATE everything, owners RESTART IDENTITY`);
  for (const row of ROWS) await Everything.create(row as never);
}

function expectSame(actual: Record<string, unknown>, expected: Record<string, unknown>) {
  for (const [key, value] of Object.entries(expected)) {
    const got = actual[key];
    if (Buffer.isBuffer(value)) {
      expect(Buffer.isBuffer(got), key).toBe(true);
      expect((got as Buffer).equals(value), key).toBe(true);
    } else if (value instanceof Date) {
      expect(got, key).toBeInstanceOf(Date);
      expect((got as Date).toISOString(), key).toBe(value.toISOString());
    } else {
      expect(got, key).toStrictEqual(value);
    }
  }
}

describe('every field type round-trips exactly on the real server', () => {
  it('the session really is in a non-UTC time zone', async () => {
    const { rows } = await db.execute(sql`SELECT current_setting('TimeZone') AS tz`);
    expect(rows[0]?.tz).toBe('Asia/Kolkata');
  });

  it.each(ROWS.map((row, i) => [i, row] as const))('row %i: create, then read back async and blocking', async (_i, row) => {
    const { Everything, Owner } = models;
    const owner = await Owner.create({ label: 'o' });
    const data = { ...row, owner: row.int === 0 ? null : owner };
    const created = await Everything.create(data as never);
    expect(typeof created.id).toBe('bigint');
    const { owner: _o, ...plain } = data;
    // The values RETURNING gave back are the server's: they must already equal the input.
    expectSame(created as unknown as Record<string, unknown>, plain);

    const loaded = await Everything.getById(created.id);
    expectSame(loaded as unknown as Record<string, unknown>, plain);
    expect(loaded.ownerId).toBe(row.int === 0 ? null : owner.id);

    const blocking = Everything.getByIdSync(created.id);
    expectSame(blocking as unknown as Record<string, unknown>, plain);
    expect(blocking.ownerId).toBe(loaded.ownerId);
  });

  it('the values are stored as the declared PostgreSQL types, not as text', async () => {
    await seedEdgeRows();
    const { rows } = await db.execute(
      sql`SELECT big::text AS big, pg_typeof(big)::text AS big_type, octet_length(bytes) AS n, get_byte(bytes, 255) AS last,
                 doc->'nested'->'list'->>2 AS json_x, texts[2] AS second_text, array_length(ints, 1) AS ints_len, ints[2] IS NULL AS null_elem,
                 to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') AS at_utc
          FROM everything WHERE int = 2147483647`,
    );
    expect(rows[0]).toEqual({
      big: '9223372036854775807',
      big_type: 'bigint',
      n: 256,
      last: 255,
      json_x: 'x',
      second_text: 'c"d',
      ints_len: 4,
      null_elem: true,
      at_utc: '2024-02-29 23:59:59.999',
    });
  });

  it('filters by edge values, so parameters are sent exactly too', async () => {
    const { Everything } = models;
    await seedEdgeRows();
    expect(await Everything.select().where(Everything.big.eq(9007199254740993n)).count()).toBe(1);
    expect(await Everything.select().where(Everything.big.eq(9007199254740992n)).count()).toBe(0);
    expect(await Everything.select().where(Everything.money.eq('12345678901234567890.12345678901234567890')).count()).toBe(1);
    expect(await Everything.select().where(Everything.bytes.eq(ALL_BYTES)).count()).toBe(1);
    expect(
      await Everything.select()
        .where(Everything.texts.eq([...NASTY_TEXTS]))
        .count(),
    ).toBe(1);
  });

  it('an update writes edge values exactly as well', async () => {
    const { Everything } = models;
    const row = await Everything.create({});
    row.big = -9007199254740993n;
    row.texts = ['}{', '\\"', null];
    row.doc = [{ deep: [[[null]]] }];
    row.at = new Date('2000-01-01T00:00:00.001Z');
    row.clock = '01:02';
    await row.save();
    const loaded = await Everything.getById(row.id);
    expect(loaded.big).toBe(-9007199254740993n);
    expect(loaded.texts).toEqual(['}{', '\\"', null]);
    expect(loaded.doc).toEqual([{ deep: [[[null]]] }]);
    expect(loaded.at?.toISOString()).toBe('2000-01-01T00:00:00.001Z');
    expect(loaded.clock).toBe('01:02:00');
    expect(row.clock).toBe('01:02:00');
  });

  it('negative zero and uppercase UUIDs are normalised as the server stores them', async () => {
    const { Everything } = models;
    const row = await Everything.create({ float: -0, uid: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11' });
    expect(row.uid).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
    expect(Object.is(row.float, -0)).toBe(true);
    expect(Object.is((await Everything.getById(row.id)).float, -0)).toBe(true);
  });
});
