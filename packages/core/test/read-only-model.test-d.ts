import { describe, expectTypeOf, it } from 'vitest';
import { AutoField, DateTimeField, IntegerField, model, sql, TextField } from '../src/index.js';

class Report extends model('reports', { id: IntegerField(), title: TextField() }, { readOnly: true }) {}
class Note extends model('notes', {
  id: AutoField(),
  body: TextField(),
  at: DateTimeField({ default: sql`now()` }),
  seq: IntegerField({ identity: true }),
  len: IntegerField({ generated: sql`length(body)` }),
}) {}

describe('read-only models (views)', () => {
  it('have no writes in the types', async () => {
    // @ts-expect-error no insert on a read-only model
    Report.insert({ id: 1, title: 'x' });
    // @ts-expect-error no create
    Report.create({ id: 1, title: 'x' });
    // @ts-expect-error no update
    Report.update({ title: 'x' });
    // @ts-expect-error no delete
    Report.delete();
    // @ts-expect-error no insertMany
    Report.insertMany([]);
    // @ts-expect-error no bulkUpdate
    Report.bulkUpdate([], ['title']);
    const r = await Report.get();
    // @ts-expect-error no save on its instances
    r.save();
    // @ts-expect-error no deleteInstance
    r.deleteInstance();
    expectTypeOf(r.title).toEqualTypeOf<string>();
    expectTypeOf(Report.select().where(Report.c.title.eq('x'))).not.toBeAny();
  });

  it('server-side values are optional on insert', () => {
    Note.insert({ body: 'hi' });
    Note.create({ body: 'hi', seq: 3 });
    expectTypeOf<Parameters<typeof Note.create>[0]>().toHaveProperty('body');
  });
});
