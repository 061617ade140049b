import { AutoField, CharField, ForeignKeyField, model, prefetch, prefetchSync, type SelectQuery, TextField } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();

/** peewee's prefetch_tests models: people → notes → items, and a category tree. */
function defineModels(db: PostgresqlDatabase) {
  class Person extends model('people', { id: AutoField(), nick: CharField({ maxLength: 20 }) }, { database: db }) {
    declare readonly notes: SelectQuery<Note>;
  }
  class Note extends model('notes', { id: AutoField(), person: ForeignKeyField(() => Person, { backref: 'notes' }), content: TextField() }, { database: db }) {
    declare readonly items: SelectQuery<NoteItem>;
  }
  class NoteItem extends model(
    'note_items',
    { id: AutoField(), note: ForeignKeyField(() => Note, { backref: 'items' }), content: TextField() },
    { database: db },
  ) {}
  class Category extends model(
    'categories',
    { id: AutoField(), parent: ForeignKeyField('self', { null: true, backref: 'children' }), label: TextField() },
    { database: db },
  ) {
    declare readonly children: SelectQuery<Category>;
  }
  return { Person, Note, NoteItem, Category };
}

let db: PostgresqlDatabase;
let M: ReturnType<typeof defineModels>;

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  M = defineModels(db);
  const { Person, Note, NoteItem, Category } = M;
  await db.createTables([Person, Note, NoteItem, Category]);
  const data: Record<string, Record<string, string[]>> = {
    huey: { hiss: ['hiss-1', 'hiss-2'], meow: ['meow-1', 'meow-2', 'meow-3'], purr: [] },
    mickey: { bark: ['bark-1', 'bark-2'], woof: [] },
    zaizee: {},
  };
  for (const [name, notes] of Object.entries(data)) {
    const person = await Person.create({ nick: name });
    for (const [content, items] of Object.entries(notes)) {
      const note = await Note.create({ person, content });
      for (const item of items) await NoteItem.create({ note, content: item });
    }
  }
  const root = await Category.create({ label: 'root', parent: null });
  const p1 = await Category.create({ label: 'p1', parent: root });
  await Category.create({ label: 'p2', parent: root });
  await Category.create({ label: 'c1', parent: p1 });
});
afterAll(() => db.close());

/** Reads the loaded tree; any query it ran would show in the log. */
function tree(people: readonly InstanceType<typeof M.Person>[]) {
  return people.map((p) => [p.nick, [...p.notes].map((n) => [n.content, [...n.items].map((i) => i.content)])]);
}

describe('prefetch', () => {
  it('loads people → notes → items in 3 statements; reading them runs none', async () => {
    const { Person, Note, NoteItem } = M;
    const log = recordQueries(db);
    const people = await Person.select().orderBy(Person.nick).prefetch(Note.select().orderBy(Note.content), NoteItem.select().orderBy(NoteItem.content));
    expect(log.count).toBe(3);
    expect(log.sql[1]).toContain('"notes"."person_id" = ANY($1)');
    log.reset();
    expect(tree(people)).toEqual([
      [
        'huey',
        [
          ['hiss', ['hiss-1', 'hiss-2']],
          ['meow', ['meow-1', 'meow-2', 'meow-3']],
          ['purr', []],
        ],
      ],
      [
        'mickey',
        [
          ['bark', ['bark-1', 'bark-2']],
          ['woof', []],
        ],
      ],
      ['zaizee', []],
    ]);
    expect((await people[0]?.notes)?.map((n) => n.content)).toEqual(['hiss', 'meow', 'purr']);
    expect(people[0]?.notes.allSync()).toHaveLength(3);
    // Each child knows its parent without a query.
    const hiss = [...(people[0]?.notes ?? [])][0];
    expect(hiss?.person).toBe(people[0]);
    expect(log.count).toBe(0);
    log.stop();
  });

  it('loads two levels in 2 statements; parents without children get an empty list', async () => {
    const { Person, Note } = M;
    const log = recordQueries(db);
    const people = await Person.select().orderBy(Person.nick).prefetch(Note);
    expect(log.count).toBe(2);
    const zaizee = people.find((p) => p.nick === 'zaizee');
    expect(await zaizee?.notes).toEqual([]);
    expect([...(people[1]?.notes ?? [])].map((n) => n.content).sort()).toEqual(['bark', 'woof']);
    expect(log.count).toBe(2);
    log.stop();
  });

  it('a loaded backref is one view per parent, read in a loop without building anything, and chains into a query of its own key', async () => {
    const { Person, Note } = M;
    const people = await Person.select().orderBy(Person.nick).prefetch(Note);
    const huey = people[0] as InstanceType<typeof Person>;
    expect(huey.notes).toBe(huey.notes);
    const log = recordQueries(db);
    for (let i = 0; i < 3; i++)
      expect(
        huey.notes
          .allSync()
          .map((n) => n.content)
          .sort(),
      ).toEqual(['hiss', 'meow', 'purr']);
    expect(log.count).toBe(0);
    // Chaining leaves the loaded rows and queries, for this parent's key only.
    expect((await huey.notes.where(Note.content.ne('meow')).orderBy(Note.content)).map((n) => n.content)).toEqual(['hiss', 'purr']);
    expect(log.events[0]?.params).toContain(huey.id);
    // A parent whose key changed after the prefetch gets a query of its new key.
    const mickey = people[1] as InstanceType<typeof Person>;
    const before = mickey.notes;
    mickey.id = huey.id;
    expect(mickey.notes).not.toBe(before);
    expect((await mickey.notes.where(Note.content.eq('hiss'))).map((n) => n.content)).toEqual(['hiss']);
    log.stop();
  });

  it('applies the filters and ordering of the level queries to the children', async () => {
    const { Person, Note, NoteItem } = M;
    const log = recordQueries(db);
    const people = await Person.select()
      .orderBy(Person.nick)
      .prefetch(
        Note.select()
          .where(Note.content.notIn(['hiss', 'meow', 'woof']))
          .orderBy(Note.content.desc()),
        NoteItem.select().where(NoteItem.content.ne('bark-2')),
      );
    expect(tree(people)).toEqual([
      ['huey', [['purr', []]]],
      ['mickey', [['bark', ['bark-1']]]],
      ['zaizee', []],
    ]);
    expect(log.count).toBe(3);
    log.stop();
  });

  it('prefetches forward: Note.select().prefetch(Person) in 2 statements', async () => {
    const { Person, Note } = M;
    const log = recordQueries(db);
    const notes = await Note.select().orderBy(Note.content).prefetch(Person);
    expect(notes.map((n) => [n.content, n.person.nick])).toEqual([
      ['bark', 'mickey'],
      ['hiss', 'huey'],
      ['meow', 'huey'],
      ['purr', 'huey'],
      ['woof', 'mickey'],
    ]);
    expect(notes[1]?.person).toBe(notes[2]?.person);
    expect(notes[1]?.person).toBeInstanceOf(Person);
    expect(log.count).toBe(2);
    log.stop();
  });

  it('runs the same program on the blocking path: allSync() with prefetch', () => {
    const { Person, Note, NoteItem } = M;
    const log = recordQueries(db);
    const people = Person.select().orderBy(Person.nick).prefetch(Note, NoteItem).allSync();
    expect(log.events.map((e) => e.path)).toEqual(['blocking', 'blocking', 'blocking']);
    expect(people.map((p) => [...p.notes].length)).toEqual([3, 2, 0]);
    expect(log.count).toBe(3);
    log.stop();
  });

  it('prefetch(instances, …) loads into instances already loaded, in 1 statement per level', async () => {
    const { Person, Note, NoteItem } = M;
    const people = await Person.select().orderBy(Person.nick);
    const log = recordQueries(db);
    const same = await prefetch(people, Note);
    expect(log.count).toBe(1);
    expect(same[0]).toBe(people[0]);
    expect([...(people[0]?.notes ?? [])].map((n) => n.content).sort()).toEqual(['hiss', 'meow', 'purr']);
    expect(log.count).toBe(1);
    const notes = [...(people[0]?.notes ?? [])];
    prefetchSync(notes, NoteItem);
    expect(notes.map((n) => [...n.items].length).sort()).toEqual([0, 2, 3]);
    expect(log.count).toBe(2);
    expect(await prefetch([], Note)).toEqual([]);
    expect(log.count).toBe(2);
    log.stop();
  });

  it('prefetches a self-reference through aliases: children, then grandchildren', async () => {
    const { Category } = M;
    const log = recordQueries(db);
    const roots = await Category.select().where(Category.parent.isNull()).prefetch(Category.alias('child'), Category.select().orderBy(Category.label.desc()));
    expect(log.count).toBe(3);
    const root = roots[0];
    const children = [...(root?.children ?? [])];
    expect(children.map((c) => c.label).sort()).toEqual(['p1', 'p2']);
    const p1 = children.find((c) => c.label === 'p1');
    expect([...(p1?.children ?? [])].map((c) => c.label)).toEqual(['c1']);
    expect([...(children.find((c) => c.label === 'p2')?.children ?? [])]).toEqual([]);
    expect(p1?.parent).toBe(root);
    expect(log.count).toBe(3);
    log.stop();
  });

  it('says what is wrong for an unrelated level or a query of rows that are not instances', async () => {
    const { Person, NoteItem, Note } = M;
    const log = recordQueries(db);
    await expect(Person.select().prefetch(NoteItem)).rejects.toThrow(/prefetch\(NoteItem\): NoteItem has no foreign key or many-to-many relation with Person/);
    await expect(Person.select().dicts().prefetch(Note)).rejects.toThrow(/prefetch\(\) needs model instances/);
    expect(log.count).toBe(2);
    log.stop();
  });
});
