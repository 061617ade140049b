// Promises of docs/models.md that no other file checks: a model without a database, how errors name a model,
// referential actions and `field`, arrays of arrays and JSON null, expressions left to the server, cycles created
// twice with safe, deleted instances, bulkUpdate on a composite key, and refusals at definition and before DDL.
import {
  type AnyModelClass,
  ArrayField,
  AutoField,
  CharField,
  CompositeKey,
  customField,
  EnumField,
  ForeignKeyField,
  IntegerField,
  JSONField,
  model,
  sql,
  TextField,
  ValidationError,
} from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();
let db: PostgresqlDatabase;

function defineModels(d: PostgresqlDatabase) {
  class Member extends model(
    'edge_members',
    { id: AutoField(), handle: CharField({ maxLength: 20, unique: true }), score: IntegerField({ default: 0 }) },
    { database: d },
  ) {}
  class Badge extends model(
    'edge_badges',
    { id: AutoField(), holder: ForeignKeyField(() => Member, { field: 'handle', onDelete: 'CASCADE' }) },
    { database: d },
  ) {}
  class Grid extends model(
    'edge_grids',
    { id: AutoField(), cells: ArrayField(ArrayField(IntegerField())), doc: JSONField<unknown>({ null: true }) },
    { database: d },
  ) {}
  return { Member, Badge, Grid };
}
let M: ReturnType<typeof defineModels>;

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  M = defineModels(db);
  await db.createTables([M.Member, M.Badge, M.Grid]);
});
afterAll(() => db.close());

describe('a model without a database', () => {
  it('builds queries and SQL; evaluating one throws and says how to bind it', async () => {
    class Loose extends model('edge_loose', { id: AutoField(), note: TextField() }) {}
    expect(Loose.select().where(Loose.note.eq('x')).sql().text).toBe(
      'SELECT "edge_loose"."id", "edge_loose"."note" FROM "edge_loose" WHERE "edge_loose"."note" = $1',
    );
    await expect((async () => await Loose.select())()).rejects.toThrow(
      'Loose has no database: pass { database: db } as the third argument of model(), or call db.bind([Loose])',
    );
    db.bind([Loose]);
    await db.createTables([Loose]);
    expect(await Loose.select().count()).toBe(0);
  });

  it('error messages name a model by its class name once the class is used', () => {
    class Parcel extends model('edge_parcels', { id: AutoField(), weight: IntegerField() }) {}
    expect(() => new Parcel({ weight: 1.5 as never })).toThrow(/^Parcel\.weight: expected an integer/);
    expect(() => Parcel.update({ weight: 'x' as never })).toThrow(/^Parcel\.weight: expected an integer/);
  });
});

describe('foreign keys', () => {
  it('an unknown onDelete or onUpdate throws when the field is declared, listing the actions', () => {
    expect(() => ForeignKeyField(() => M.Member, { onDelete: 'DROP TABLE x' as never })).toThrow(
      'ForeignKeyField onDelete: "DROP TABLE x" is not one of "CASCADE", "SET NULL", "SET DEFAULT", "RESTRICT", "NO ACTION"',
    );
    expect(() => ForeignKeyField(() => M.Member, { onUpdate: 'cascade' as never })).toThrow(/^ForeignKeyField onUpdate: "cascade" is not one of/);
  });

  it('field names the referenced column: the key holds that value, and the action applies', async () => {
    const ann = await M.Member.create({ handle: 'ann-fk' });
    const badge = await M.Badge.create({ holder: ann });
    expect(badge.holderId).toBe('ann-fk');
    expect((await M.Badge.getById(badge.id)).holder.handle).toBe('ann-fk');
    await M.Member.delete().where(M.Member.id.eq(ann.id));
    expect(await M.Badge.select().where(M.Badge.id.eq(badge.id)).count()).toBe(0);
  });
});

describe('values', () => {
  it('an array of arrays is written and read back as nested arrays, also a 2-D value in a one-level ArrayField', async () => {
    const grid = await M.Grid.create({
      cells: [
        [1, 2],
        [3, 4],
      ],
    });
    expect((await M.Grid.getById(grid.id)).cells).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(M.Grid.getByIdSync(grid.id).cells).toEqual([
      [1, 2],
      [3, 4],
    ]);
    class Flat extends model('edge_grids', { id: AutoField(), cells: ArrayField(IntegerField()) }, { database: db }) {}
    await db.execute(sql`UPDATE edge_grids SET cells = '{{5,6},{7,8}}' WHERE id = ${grid.id}`);
    expect((await Flat.getById(grid.id)).cells).toEqual([
      [5, 6],
      [7, 8],
    ]);
  });

  it('a JSONField stores null as SQL NULL, not as a JSON null literal', async () => {
    const grid = await M.Grid.create({ cells: [], doc: null });
    const { rows } = await db.execute(sql`SELECT doc IS NULL AS is_sql_null FROM edge_grids WHERE id = ${grid.id}`);
    expect(rows).toEqual([{ is_sql_null: true }]);
    expect((await M.Grid.getById(grid.id)).doc).toBeNull();
  });

  it('a value written as an expression is not validated by pewit: the server checks it', async () => {
    const bee = await M.Member.create({ handle: 'bee-expr' });
    expect(() => M.Member.update({ score: 'ten' as never })).toThrow(/Member\.score: expected an integer/);
    await expect(M.Member.update({ score: sql`'ten'` as never }).where(M.Member.id.eq(bee.id))).rejects.toThrow(/invalid input syntax for type integer/);
    expect(await M.Member.update({ score: sql`7` as never }).where(M.Member.id.eq(bee.id))).toBe(1);
    expect((await M.Member.getById(bee.id)).score).toBe(7);
  });
});

describe('tables', () => {
  it('a cycle created twice with safe: true: the second run finds the constraint and sends no error', async () => {
    class Right extends model('edge_rights', { id: AutoField(), left: ForeignKeyField((): AnyModelClass => Left) }, { database: db }) {}
    class Left extends model('edge_lefts', { id: AutoField(), right: ForeignKeyField((): AnyModelClass => Right, { null: true }) }, { database: db }) {}
    await db.createTables([Left, Right], { safe: true });
    await db.createTables([Left, Right], { safe: true });
    const { rows } = await db.execute(
      sql`SELECT conname FROM pg_constraint WHERE contype = 'f' AND conrelid IN ('edge_rights'::regclass, 'edge_lefts'::regclass) ORDER BY conname`,
    );
    expect(rows.map((r) => r.conname)).toEqual(['edge_lefts_right_id_fkey', 'edge_rights_left_id_fkey']);
  });
});

describe('deleted instances', () => {
  it('deleteInstance of a row already gone resolves to 0; the instance counts as new, so save() INSERTs it again', async () => {
    const cy = await M.Member.create({ handle: 'cy-del' });
    const id = cy.id;
    expect(await cy.deleteInstance()).toBe(1);
    expect(await M.Member.select().where(M.Member.id.eq(id)).count()).toBe(0);
    const stale = await M.Member.create({ handle: 'cy-stale' });
    await M.Member.delete().where(M.Member.id.eq(stale.id));
    expect(await stale.deleteInstance()).toBe(0);
    const log = recordQueries(db);
    expect(await cy.save()).toBe(1);
    log.stop();
    expect(log.sql[0]).toMatch(/^INSERT INTO "edge_members"/);
    expect((await M.Member.get(M.Member.handle.eq('cy-del'))).id).toBe(cy.id);
  });
});

describe('bulkUpdate', () => {
  it('needs a single-column key: a CompositeKey model is refused before any SQL', async () => {
    class Pair extends model('edge_pairs', { a: IntegerField(), b: IntegerField(), n: IntegerField() }, { database: db, primaryKey: CompositeKey('a', 'b') }) {}
    await db.createTables([Pair]);
    const row = await Pair.create({ a: 1, b: 2, n: 0 });
    row.n = 5;
    const log = recordQueries(db);
    expect(() => Pair.bulkUpdate([row], ['n'])).toThrow(/Pair has a composite primary key \(a, b\), so it cannot bulkUpdate by a single key/);
    log.stop();
    expect(log.count).toBe(0);
  });
});

describe('definition and DDL refusals', () => {
  it('a field named <fk>Id beside a foreign key <fk> is refused: it would hide the raw key', () => {
    expect(() => model('edge_clash', { id: AutoField(), owner: ForeignKeyField(() => M.Member), ownerId: IntegerField() })).toThrow(
      `model('edge_clash'): the field "ownerId" collides with the raw key property of the foreign key "owner"`,
    );
  });

  it('two value lists under one enum typeName are refused by createTables before any SQL', async () => {
    class Light extends model('edge_lights', { id: AutoField(), state: EnumField(['on', 'off'] as const, { typeName: 'edge_switch' }) }, { database: db }) {}
    class Door extends model('edge_doors', { id: AutoField(), state: EnumField(['open', 'shut'] as const, { typeName: 'edge_switch' }) }, { database: db }) {}
    const log = recordQueries(db);
    await expect(db.createTables([Light, Door])).rejects.toThrow(
      /the enum type "edge_switch" is declared with \["open","shut"\] here and \["on","off"\] elsewhere/,
    );
    log.stop();
    expect(log.count).toBe(0);
  });

  it('an error thrown by a customField toDatabase becomes a ValidationError naming model and field, before any SQL', async () => {
    const Strict = customField<string>({
      sqlType: 'text',
      toDatabase: (v) => {
        if (v.includes(' ')) throw new Error('no spaces');
        return v;
      },
      fromDatabase: (t) => t,
    });
    class Slug extends model('edge_slugs', { id: AutoField(), slug: Strict }, { database: db }) {}
    await db.createTables([Slug]);
    const log = recordQueries(db);
    await expect(Slug.create({ slug: 'a b' })).rejects.toThrow(ValidationError);
    await expect(Slug.create({ slug: 'a b' })).rejects.toThrow(/Slug\.slug: .*no spaces/);
    log.stop();
    expect(log.count).toBe(0);
    expect((await Slug.create({ slug: 'a-b' })).slug).toBe('a-b');
  });
});

describe('getOrCreate edges', () => {
  class Label extends model('edge_labels', {
    id: AutoField(),
    name: CharField({ maxLength: 20, unique: true }),
    code: CharField({ maxLength: 20, null: true, unique: true }),
  }) {}

  it('a null in the lookup matches IS NULL', async () => {
    db.bind([Label]);
    await db.createTables([Label], { safe: true });
    const [first, created] = await Label.getOrCreate({ name: 'no-code', code: null });
    const log = recordQueries(db);
    const [again, createdAgain] = await Label.getOrCreate({ name: 'no-code', code: null });
    log.stop();
    expect([created, createdAgain, again.id]).toEqual([true, false, first.id]);
    expect(log.sql).toEqual([expect.stringMatching(/WHERE \("edge_labels"\."name" = \$1\) AND "edge_labels"\."code" IS NULL LIMIT \$2$/)]);
  });

  it('an INSERT that conflicts on a column outside the lookup throws and says so', async () => {
    db.bind([Label]);
    await db.createTables([Label], { safe: true });
    await Label.create({ name: 'taken', code: 'c1' });
    await expect(Label.getOrCreate({ code: 'c2' }, { name: 'taken' })).rejects.toThrow(
      'getOrCreate(): the insert conflicted but no row matches the lookup; the conflict is on a column outside the lookup',
    );
    expect(await Label.select().where(Label.code.eq('c2')).count()).toBe(0);
  });
});

describe('AutoField options', () => {
  it('AutoField and BigAutoField take neither null nor default (checked by the type checker: npx tsc -p tests)', () => {
    const declare = () => [
      // @ts-expect-error a serial key is never NULL
      AutoField({ null: true }),
      // @ts-expect-error the server numbers a serial key
      AutoField({ default: 1 }),
    ];
    expect(declare).toBeTypeOf('function');
  });
});
