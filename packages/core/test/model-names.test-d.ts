import { describe, expectTypeOf, it } from 'vitest';
import { AutoField, type Field, IntegerField, JSONField, model, TextField } from '../src/index.js';

class Thing extends model('things', {
  id: AutoField(),
  name: TextField(),
  length: IntegerField(),
  select: TextField(),
  meta: JSONField<{ tags: string[] }>({ null: true }),
  table: TextField(),
  order: IntegerField(),
}) {}

describe('every column name (spec, Models)', () => {
  it('Model.c has every field as a typed column', () => {
    expectTypeOf(Thing.c.name).toExtend<Field<string, string, true>>();
    expectTypeOf(Thing.c.length).toExtend<Field<number, number, true>>();
    expectTypeOf(Thing.c.select).toExtend<Field<string, string, true>>();
    Thing.c.name.eq('x');
    // @ts-expect-error name is a text column
    Thing.c.name.eq(1);
  });

  it('a colliding shorthand is absent: the static keeps its own type', () => {
    expectTypeOf(Thing.name).toEqualTypeOf<string>();
    expectTypeOf(Thing.length).toEqualTypeOf<number>();
    expectTypeOf(Thing.select).toBeFunction();
    // @ts-expect-error Thing.select is the query method, not the column
    Thing.select.eq('x');
  });

  it('a free name keeps its shorthand, the same type as in Model.c', () => {
    expectTypeOf(Thing.meta).toEqualTypeOf(Thing.c.meta);
    expectTypeOf(Thing.table).toEqualTypeOf(Thing.c.table);
    expectTypeOf(Thing.order).toEqualTypeOf(Thing.c.order);
  });

  it('instances carry every name with its value type', () => {
    const t = new Thing();
    expectTypeOf(t.name).toEqualTypeOf<string>();
    expectTypeOf(t.length).toEqualTypeOf<number>();
    expectTypeOf(t.select).toEqualTypeOf<string>();
    expectTypeOf(t.meta).toEqualTypeOf<{ tags: string[] } | null>();
  });

  // docs/getting-started.md, "Insert": a value of the wrong type does not compile.
  it('create, insert, new and assignment take each field value type, and refuse another', () => {
    const row = { name: 'n', length: 1, select: 's', table: 't', order: 2 };
    Thing.create(row);
    Thing.insert(row);
    new Thing({ name: 'n' });
    // @ts-expect-error name is text, not a number
    Thing.create({ ...row, name: 42 });
    // @ts-expect-error length is an integer, not a string
    Thing.insert({ ...row, length: '1' });
    // @ts-expect-error name is text
    new Thing({ name: 42 });
    const t = new Thing();
    // @ts-expect-error length is a number: docs/errors.md's `user.age = '12'`
    t.length = '12';
  });

  it('pewit metadata is under _meta', () => {
    expectTypeOf(Thing._meta.table).toEqualTypeOf<string>();
  });
});
