// schemaOfModels and introspectDatabase agree: models created with createTables, read back from pg_catalog, give
// the description the models give, so `diffSchemas` finds nothing; and each kind of model change is one typed change.
import {
  ArrayField,
  AutoField,
  BigIntegerField,
  BooleanField,
  CharField,
  CompositeKey,
  DateTimeField,
  DecimalField,
  EnumField,
  FixedCharField,
  ForeignKeyField,
  IntegerField,
  JSONField,
  ManyToManyField,
  model,
  sql,
  TextField,
  TSVectorField,
} from '@pewit/core';
import { diffSchemas, introspectDatabase, renameCandidates, schemaOfModels } from '@pewit/migrate';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { adminQuery, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const database = useTestDatabase();
let db: PostgresqlDatabase;

class Author extends model('authors', {
  id: AutoField(),
  email: CharField({ maxLength: 120, unique: true }),
  nickname: TextField({ index: true, default: sql`'anon'` }),
  age: IntegerField({ check: 'age >= 0', default: sql`-1` }),
  mood: EnumField(['calm', 'angry'] as const, { null: true }),
  tags: ArrayField(TextField()),
  joined: DateTimeField({ default: sql`now()` }),
  seen: DateTimeField({ default: sql`current_timestamp` }),
  active: BooleanField({ default: sql`true` }),
  code: FixedCharField({ length: 3, null: true }),
}) {}

const bookFields = () => ({
  id: AutoField(),
  author: ForeignKeyField(() => Author, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' }),
  parent: ForeignKeyField('self', { null: true, onDelete: 'SET NULL' }),
  title: TextField(),
  slug: TextField(),
  price: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
  qty: IntegerField(),
  total: DecimalField({ generated: sql`price * qty` }),
  doc: JSONField<unknown>({ null: true }),
  search: TSVectorField({ null: true }),
  serial: BigIntegerField({ identity: 'always' }),
  deletedAt: DateTimeField({ null: true }),
});

class Book extends model('books', bookFields(), {
  schema: 'lib',
  constraints: [{ unique: ['author', 'slug'] }, { check: 'qty <= 1000 AND price >= 0', name: 'books_sane' }],
  indexes: [
    { fields: ['title'], where: sql`deleted_at IS NULL`, name: 'books_live_title' },
    { fields: ['search'], using: 'gin' },
    { fields: ['slug', 'qty'], unique: true },
  ],
}) {}

class Shelf extends model('shelves', { id: AutoField(), books: ManyToManyField(() => Book) }) {}

class Loan extends model(
  'loans',
  { book: ForeignKeyField(() => Book), shelf: ForeignKeyField(() => Shelf), note: TextField({ null: true }) },
  { primaryKey: CompositeKey('book', 'shelf') },
) {}

const models = [Author, Book, Shelf, Loan];

beforeAll(async () => {
  await adminQuery(database.url(), 'CREATE SCHEMA lib');
  db = new PostgresqlDatabase(database.url());
  db.bind(models);
  await db.createTables(models);
});
afterAll(() => db?.close());

describe('introspectDatabase against schemaOfModels', () => {
  it('finds no difference for tables pewit created', async () => {
    const live = await introspectDatabase(db, { schemas: ['public', 'lib'] });
    expect(diffSchemas(live, schemaOfModels(models))).toEqual([]);
    expect(diffSchemas(schemaOfModels(models), live)).toEqual([]);
  });

  it('reads what pewit wrote, in the catalog form the models predict', async () => {
    const live = await introspectDatabase(db, { schemas: ['public', 'lib'] });
    const wanted = schemaOfModels(models);
    expect(live.tables.map((t) => `${t.schema}.${t.name}`)).toEqual(wanted.tables.map((t) => `${t.schema}.${t.name}`));
    expect(live.enums).toEqual(wanted.enums);
    // Column for column, the models predict pg_get_expr's text and format_type's names exactly; only a generated
    // expression's implicit casts (qty::numeric) are the server's to add, and diffSchemas sets them aside.
    for (const table of wanted.tables) {
      const read = live.tables.find((t) => t.name === table.name);
      expect(read?.columns.map(({ typeKind: _k, baseType: _b, generated: _g, ...c }) => c)).toEqual(
        table.columns.map(({ typeKind: _k, generated: _g, ...c }) => c),
      );
      expect(read?.primaryKey).toEqual(table.primaryKey);
      expect(read?.foreignKeys).toEqual(table.foreignKeys);
      expect(read?.indexes).toEqual(table.indexes);
    }
    const books = live.tables.find((t) => t.name === 'books');
    expect(books?.indexes.find((i) => i.name === 'books_live_title')).toEqual({
      name: 'books_live_title',
      keys: [{ column: 'title' }],
      unique: false,
      method: 'btree',
      where: '(deleted_at IS NULL)',
    });
    expect(books?.columns.find((c) => c.name === 'total')).toMatchObject({ type: 'numeric', generated: '(price * (qty)::numeric)' });
    expect(books?.uniques.map((u) => u.columns)).toEqual([['author_id', 'slug']]);
  });

  it('lists each kind of model change as one typed change, destructive ones flagged', async () => {
    const live = await introspectDatabase(db, { schemas: ['public', 'lib'] });
    class Author2 extends model('authors', {
      id: AutoField(),
      email: TextField({ unique: true }),
      nick: TextField({ index: true, default: sql`'anon'` }),
      age: BigIntegerField({ check: 'age >= 0', null: true }),
      mood: EnumField(['calm', 'angry', 'bored'] as const, { null: true }),
      tags: ArrayField(TextField()),
      joined: DateTimeField({ default: sql`now()` }),
      seen: DateTimeField({ default: sql`current_timestamp` }),
      active: BooleanField({ default: sql`false` }),
      code: FixedCharField({ length: 3, null: true }),
      bio: TextField({ null: true }),
    }) {}
    const changes = diffSchemas(live, schemaOfModels([Author2, Book, Shelf, Loan]));
    const summary = changes.map((c) => `${c.kind}${'column' in c && typeof c.column === 'string' ? ` ${c.column}` : ''}${c.destructive ? ' !' : ''}`);
    expect(summary).toEqual([
      'enumValuesAdded',
      'columnDropped !',
      'columnTypeChanged',
      'columnAdded',
      'columnTypeChanged',
      'nullabilityChanged age',
      'defaultChanged age',
      'defaultChanged active',
      'columnAdded',
      'indexDropped',
      'indexAdded',
    ]);
    // Both added text columns could be the old one renamed: the CLI asks about each, nothing is guessed.
    expect(renameCandidates(changes)).toEqual([
      { kind: 'column', schema: 'public', table: 'authors', from: 'nickname', to: 'nick' },
      { kind: 'column', schema: 'public', table: 'authors', from: 'nickname', to: 'bio' },
    ]);
  });

  it('lists dropped and added tables, keys and constraints, and offers a renamed table as a candidate', async () => {
    const live = await introspectDatabase(db, { schemas: ['public', 'lib'] });
    // Loan renamed to Borrowing (same columns, its foreign key to Shelf now cascades); Shelf gains a unique checked
    // column and loses its many-to-many field; Book gains a column and loses its constraints and indexes.
    class Borrowing extends model(
      'borrowings',
      { book: ForeignKeyField(() => Book), shelf: ForeignKeyField(() => Shelf, { onDelete: 'CASCADE' }), note: TextField({ null: true }) },
      { primaryKey: CompositeKey('book', 'shelf') },
    ) {}
    // Shelf loses its many-to-many field: its join table is dropped.
    class Shelf extends model('shelves', { id: AutoField(), size: IntegerField({ check: 'size > 0', unique: true }) }) {}
    class Book extends model('books', { ...bookFields(), note: TextField({ null: true }) }, { schema: 'lib' }) {}
    const changes = diffSchemas(live, schemaOfModels([Author, Book, Shelf, Borrowing]));
    expect(changes.map((c) => `${c.kind} ${'table' in c ? c.table : ''}${c.destructive ? ' !' : ''}`)).toEqual([
      'tableDropped loans !',
      'tableDropped shelves_books_through !',
      'tableAdded borrowings',
      'columnAdded shelves',
      'uniqueAdded shelves',
      'checkAdded shelves',
      'columnAdded books',
      'uniqueDropped books',
      'checkDropped books',
      'indexDropped books',
      'indexDropped books',
      'indexDropped books',
    ]);
    expect(renameCandidates(changes)).toEqual([{ kind: 'table', schema: 'public', from: 'loans', to: 'borrowings' }]);
  });
});
