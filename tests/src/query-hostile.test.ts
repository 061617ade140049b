import { AutoField, excluded, fn, IntegerField, model, sql, TextField } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const database = useTestDatabase();
let db: PostgresqlDatabase;

/** Reserved words as table and column names; the property names differ only where a model member would collide. */
function hostileModels(target: PostgresqlDatabase) {
  class Order extends model(
    'order',
    {
      id: AutoField(),
      user: TextField({ columnName: 'user' }),
      sel: TextField({ columnName: 'select' }),
      weird: TextField({ columnName: 'from"where' }),
      rank: IntegerField({ columnName: 'group', default: 0 }),
    },
    { database: target },
  ) {}
  return { Order };
}
let Order: ReturnType<typeof hostileModels>['Order'];

const HOSTILE = ["O'Brien", 'back\\slash', '$1', '$1 $2 ?', '\'; DROP TABLE "order"; --', '"quoted"', '50%_off', 'naïve ✓', 'tab\tnew\nline', "\\'"];

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  ({ Order } = hostileModels(db));
  await db.createTables([Order]);
});
afterAll(() => db.close());
// Each test starts from an empty table and seeds what it reads, so none depends on another having run first.
beforeEach(async () => {
  await Order.delete();
});

/** One row with three different hostile values (rank 0), then one row per hostile value (rank 1, 2, …). */
async function seed() {
  const first = await Order.create({ user: HOSTILE[0] as string, sel: HOSTILE[1] as string, weird: HOSTILE[2] as string });
  await Order.insertMany(HOSTILE.map((s, i) => ({ user: s, sel: s, weird: s, rank: i + 1 })));
  return first;
}

describe('hostile strings and reserved words', () => {
  it('stores and reads back every hostile value exactly, through every write path', async () => {
    const first = await seed();
    const rows = await Order.select(Order.user, Order.sel, Order.weird).where(Order.rank.gt(0)).orderBy(Order.rank).tuples();
    expect(rows).toEqual(HOSTILE.map((s) => [s, s, s]));
    const reread = await Order.select().where(Order.id.eq(first.id)).get();
    expect([reread.user, reread.sel, reread.weird]).toEqual([HOSTILE[0], HOSTILE[1], HOSTILE[2]]);
  });

  it('finds each hostile value by equality, LIKE helpers and IN, and nothing else', async () => {
    await seed();
    for (const s of HOSTILE) {
      const hits = await Order.select(Order.sel).where(Order.user.eq(s), Order.weird.contains(s), Order.sel.startsWith(s), Order.sel.endsWith(s)).dicts();
      expect(hits.map((h) => h.sel)).toContain(s);
      expect(hits.every((h) => h.sel === s)).toBe(true);
    }
    expect(await Order.select().where(Order.weird.in(HOSTILE)).count()).toBe(HOSTILE.length + 1);
  });

  it('updates, aliases, subqueries, insertFrom and raw fragments keep values and names intact', async () => {
    await seed();
    const s = 'it\'s $1 \\ "done"';
    expect(await Order.update({ sel: s }).where(Order.user.eq('$1'))).toBe(1);
    expect(await Order.select(Order.sel).where(Order.user.eq('$1')).scalar()).toBe(s);
    const aliased = await Order.select(Order.user.concat(s).as('select'), fn.count().over().as('order')).where(Order.rank.eq(3)).dicts();
    expect(aliased).toEqual([{ select: `$1${s}`, order: 1 }]);
    const raw = await db.execute(sql`SELECT ${Order.sel} AS ${sql.identifier('user')} FROM ${sql.identifier('order')} WHERE ${Order.user} = ${'$1'}`);
    expect(raw.rows).toEqual([{ user: s }]);
    const sub = Order.select(Order.user, Order.sel).where(Order.rank.gt(0)).subquery('from');
    expect(await sub.select(sub.c.sel).where(sub.c.user.eq("O'Brien")).tuples()).toEqual([["O'Brien"]]);
    // insertFrom names every column it fills: JavaScript-side defaults are not applied to rows made by the server.
    const source = Order.select(Order.sel, Order.user, Order.weird, Order.rank.add(100)).where(Order.user.eq('back\\slash'));
    const inserted = await Order.insertFrom(source, ['user', 'sel', 'weird', Order.rank]).returning(Order.user, Order.rank);
    expect(inserted.map((o) => o.rank)).toEqual([102]);
    expect(inserted.map((o) => o.user)).toEqual(['back\\slash']);
  });

  it('upserts: ON CONFLICT … DO UPDATE with EXCLUDED writes hostile values into reserved-word columns', async () => {
    const first = await seed();
    const s = HOSTILE[4] as string;
    const upserted = await Order.insertMany([{ id: first.id, user: 'ignored', sel: s, weird: "\\'" }])
      .onConflict({ target: [Order.id], update: { sel: excluded(Order.sel), weird: excluded(Order.weird) } })
      .returning(Order.id, Order.user, Order.sel, Order.weird);
    expect(upserted.map((o) => [o.id, o.user, o.sel, o.weird])).toEqual([[first.id, HOSTILE[0], s, "\\'"]]);
    const ignored = await Order.insertMany([{ id: first.id, user: s, sel: s, weird: s }]).onConflict({ target: [Order.id], ignore: true });
    expect(ignored).toBe(0);
    expect(await Order.select().where(Order.user.eq(s)).count()).toBe(1);
    expect(await db.execute(sql`SELECT count(*)::int AS n FROM ${sql.identifier('order')}`)).toMatchObject({ rows: [{ n: HOSTILE.length + 1 }] });
  });
});
