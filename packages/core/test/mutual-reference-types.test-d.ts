import { describe, expectTypeOf, it } from 'vitest';
import { AutoField, BigAutoField, type FieldsOf, ForeignKeyField, type InsertData, IntegerField, ManyToManyField, model, TextField } from '../src/index.js';

/**
 * Two models that refer to each other, with thunks and no annotation: each definition needs the other class, so
 * this file compiling at all is half the test (with exact types read lazily it does; on main it failed with
 * TS2506 "referenced directly or indirectly in its own base expression"). The keys differ (serial / bigserial)
 * so that a key type read from the wrong side shows.
 */
class Writer extends model('mr_writers', {
  id: AutoField(),
  name: TextField(),
  pinned: ForeignKeyField(() => Article, { null: true }),
}) {}

class Article extends model('mr_articles', {
  id: BigAutoField(),
  title: TextField(),
  author: ForeignKeyField(() => Writer, { backref: 'articles' }),
}) {}

/** A many-to-many field through a model that refers back to the model being defined. */
class Club extends model('mr_clubs', {
  id: AutoField(),
  title: TextField(),
  members: ManyToManyField(() => Student, { through: () => Membership }),
}) {}

class Student extends model('mr_students', { id: AutoField(), nick: TextField() }) {}

class Membership extends model('mr_memberships', {
  id: AutoField(),
  club: ForeignKeyField(() => Club),
  student: ForeignKeyField(() => Student),
  dues: IntegerField({ default: 0 }),
}) {}

describe('models that refer to each other compile without annotations', () => {
  it('have the exact key types both ways', async () => {
    expectTypeOf(new Article().authorId).toEqualTypeOf<number>();
    expectTypeOf(new Writer().pinnedId).toEqualTypeOf<bigint | null>();
    const dicts = await Article.select(Article.author).dicts();
    expectTypeOf(dicts).toEqualTypeOf<{ author: number }[]>();
    type WriterData = InsertData<FieldsOf<typeof Writer>>;
    expectTypeOf<WriterData['pinned']>().toEqualTypeOf<Article | bigint | number | null | undefined>();
    Article.insert({ title: 't', author: 1 });
    Article.select().where(Article.author.eq(1), Writer.pinned.eq(2n));
    // @ts-expect-error a writer's key is a number
    Article.insert({ title: 't', author: 'ada' });
    // @ts-expect-error an article's key is a bigint (or a number), not a string
    Writer.pinned.eq('2');
  });

  it('have the related instances both ways', async () => {
    const article = new Article();
    expectTypeOf(article.author).toEqualTypeOf<Writer>();
    expectTypeOf(new Writer().pinned).toEqualTypeOf<Article | null>();
    expectTypeOf(article.author.pinned!.author.name).toEqualTypeOf<string>();
    expectTypeOf(await article.load('author')).toEqualTypeOf<Writer>();
    const [row] = await Article.select(Article, Writer).join(Writer);
    expectTypeOf(row!.author).toEqualTypeOf<Writer>();
    // @ts-expect-error a Writer has no title: the related instance is not any
    article.author.title;
  });

  it('type a many-to-many field through a model that refers back', async () => {
    const club = new Club();
    expectTypeOf(await club.members).toEqualTypeOf<Student[]>();
    club.members.add([new Student(), 2]);
    // @ts-expect-error a Club is not a Student
    club.members.add(new Club());
    // @ts-expect-error a student's key is a number
    club.members.remove('2');
    expectTypeOf(new Membership().clubId).toEqualTypeOf<number>();
    expectTypeOf(new Membership().club).toEqualTypeOf<Club>();
  });

  it('refuse a target that is not a thunk', () => {
    // @ts-expect-error the class itself, not a function returning it
    ForeignKeyField(Student);
    // @ts-expect-error not a function
    ForeignKeyField(3);
    // @ts-expect-error the class itself, not a function returning it
    ManyToManyField(Student);
  });
});

class Folder extends model('mr_folders', {
  id: AutoField(),
  name: TextField(),
  parent: ForeignKeyField('self', { null: true }),
  root: ForeignKeyField('self'),
}) {}

describe("ForeignKeyField('self') is typed as the model itself", () => {
  it('has the key type of the model and its instances as related instances', async () => {
    const folder = new Folder();
    expectTypeOf(folder.parentId).toEqualTypeOf<number | null>();
    expectTypeOf(folder.rootId).toEqualTypeOf<number>();
    expectTypeOf(folder.parent!.name).toEqualTypeOf<string>();
    expectTypeOf(folder.root.parentId).toEqualTypeOf<number | null>();
    expectTypeOf(folder.root.root.root.name).toEqualTypeOf<string>();
    expectTypeOf(await folder.load('root')).toExtend<Folder>();
    const [row] = await Folder.select(Folder.parent).dicts();
    expectTypeOf(row!.parent).toEqualTypeOf<number | null>();
    Folder.insert({ name: 'a', root: 1, parent: folder });
    // @ts-expect-error the key of a folder is a number
    Folder.insert({ name: 'a', root: 'x' });
    // @ts-expect-error a Writer is not a Folder
    Folder.insert({ name: 'a', root: new Writer() });
    // @ts-expect-error root is required
    Folder.insert({ name: 'a' });
  });
});
