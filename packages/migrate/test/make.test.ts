// pewit migrate make from code: for each kind of model change, the generated file is applied with the runner, the
// catalog must equal what createTables makes from the new models (in a second database), make must then find
// nothing, and the file's down must bring the catalog back to what it was.
import {
  type AnyModelClass,
  AutoField,
  BigIntegerField,
  CharField,
  CompositeKey,
  DecimalField,
  EnumField,
  FixedCharField,
  ForeignKeyField,
  IntegerField,
  JSONField,
  model,
  sql,
  TextField,
  TSVectorField,
} from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { adminQuery, useTestDatabase } from '@pewit/test-support';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  collectingReporter,
  diffSchemas,
  introspectDatabase,
  type MadeMigration,
  MigrationError,
  MigrationRunner,
  makeMigration,
  schemaOfModels,
} from '../src/index.js';
import { createdBy, schemaOf, written } from './make-helpers.js';
import { migrationFolder } from './migration-folder.js';

const database = useTestDatabase();
/** Where createTables builds the new models, to compare with. */
const expected = useTestDatabase();
let db: PostgresqlDatabase;
let folder: ReturnType<typeof migrationFolder>;

beforeAll(() => {
  db = new PostgresqlDatabase(database.url());
});
afterAll(() => db.close());
beforeEach(() => {
  folder = migrationFolder();
});
afterEach(() => folder.remove());

const runner = () => new MigrationRunner(db, { migrations: folder.dir, reporter: collectingReporter() });
const make = (models: readonly AnyModelClass[], options: Partial<Parameters<typeof makeMigration>[0]> = {}) =>
  makeMigration({ database: db, models, folder: folder.dir, name: 'change', extension: 'mjs', ...options });

/**
 * The whole cycle for one model change: the old models' tables (plus `seed`), make, up, compare with createTables
 * of the new models, make again (nothing), down, compare with the start. Returns the first make's result.
 */
async function cycle(before: readonly AnyModelClass[], after: readonly AnyModelClass[], seed = ''): Promise<MadeMigration> {
  await createdBy(database.url(), before);
  if (seed) await adminQuery(database.url(), seed);
  const start = await schemaOf(database.url());
  const made = await make(after);
  expect(made.path, 'a file is written').toBeDefined();
  await runner().up();
  await createdBy(expected.url(), after);
  expect(await schemaOf(database.url())).toEqual(await schemaOf(expected.url()));
  const again = await make(after, { name: 'again' });
  expect(again.steps.map((s) => s.summary)).toEqual([]);
  expect(again.path).toBeUndefined();
  expect(written(folder.dir).files).toHaveLength(1);
  await runner().down();
  expect(await schemaOf(database.url())).toEqual(start);
  return made;
}

const summaries = (made: MadeMigration) => made.steps.map((s) => `${s.summary}${s.destructive ? ' !' : ''}`);

describe('migrate make: each kind of model change, applied, compared with createTables, rolled back', () => {
  it('new and dropped tables, new foreign keys (onDelete/onUpdate), a changed foreign key', async () => {
    const User = model('users', { id: AutoField(), name: TextField() });
    const Session = model('sessions', { id: AutoField(), token: TextField({ unique: true }) });
    const Tweet = model('tweets', { id: AutoField(), user: ForeignKeyField(() => User), body: TextField() });
    const Tweet2 = model('tweets', { id: AutoField(), user: ForeignKeyField(() => User, { onDelete: 'CASCADE' }), body: TextField() });
    const Post = model('posts', {
      id: AutoField(),
      author: ForeignKeyField(() => User, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' }),
      title: TextField(),
    });
    const Reply = model('replies', { id: AutoField(), post: ForeignKeyField(() => Post, { null: true, onDelete: 'SET NULL' }), body: TextField() });
    const made = await cycle([User, Session, Tweet], [User, Tweet2, Post, Reply], "INSERT INTO sessions (token) VALUES ('t1')");
    expect(summaries(made)).toEqual([
      'drop foreign key tweets_user_id_fkey on tweets → users',
      'drop unique sessions_token_key on sessions (token)',
      'drop table sessions !',
      'create table posts',
      'create table replies',
      'add index posts_author_id_idx on posts',
      'add index replies_post_id_idx on replies',
      'add foreign key posts_author_id_fkey on posts → users',
      'add foreign key replies_post_id_fkey on replies → posts',
      'add foreign key tweets_user_id_fkey on tweets → users',
    ]);
    expect(made.source).toContain(
      "m.createTable('posts', { id: { type: 'serial', primaryKey: true }, author_id: { type: 'integer', notNull: true }, title: { type: 'text', notNull: true } });",
    );
    expect(made.source).toContain(
      "m.addForeignKey('posts', ['author_id'], 'users', ['id'], { name: 'posts_author_id_fkey', onDelete: 'CASCADE', onUpdate: 'RESTRICT' });",
    );
    expect(made.source).toContain('// DESTRUCTIVE: every row of sessions is deleted');
    expect(made.source).toContain('// CANNOT RESTORE: the down creates sessions again, empty: its rows cannot be restored');
  });

  it('new and dropped columns, type changes (with USING where the cast is not implicit), nullability, defaults', async () => {
    const User = model('users', {
      id: AutoField(),
      name: TextField(),
      age: IntegerField({ null: true }),
      bio: CharField({ maxLength: 100, null: true }),
      status: TextField({ null: true }),
      legacy: IntegerField({ null: true }),
      score: IntegerField({ default: sql`0` }),
      note: TextField({ null: true, default: sql`'x'` }),
    });
    const User2 = model('users', {
      id: AutoField(),
      name: TextField({ null: true }),
      age: BigIntegerField({ null: true }),
      bio: TextField({ null: true }),
      status: IntegerField({ null: true }),
      score: IntegerField({ default: sql`1` }),
      note: TextField(),
      email: TextField({ null: true }),
      plan: TextField({ default: sql`'free'` }),
    });
    const made = await cycle([User], [User2], "INSERT INTO users (name, age, status, legacy, note) VALUES ('ada', 36, '7', 1, 'n')");
    expect(summaries(made)).toEqual([
      'drop column users.legacy !',
      'drop not null users.name',
      'change type of users.age: integer → bigint',
      'change type of users.bio: character varying(100) → text',
      'change type of users.status: text → integer !',
      'set default of users.score to 1',
      'set not null users.note !',
      'drop default of users.note',
      'add column users.email text',
      'add column users.plan text',
    ]);
    expect(made.source).toContain("m.alterColumnType('users', 'status', 'integer', { using: sql`\"status\"::integer`, from: 'text' });");
    expect(made.source).toContain("m.alterColumnType('users', 'age', 'bigint', { from: 'integer' });");
    expect(made.source).toContain("m.dropColumn('users', 'legacy', { was: { type: 'integer' } });");
    expect(made.source).toMatch(
      /\/\/ CANNOT RESTORE: the down adds users\.legacy back, empty: its data cannot be restored\n\s+m\.addColumn\('users', 'legacy', \{ type: 'integer' \}\);/,
    );
  });

  it('a conversion with USING on a column with a default: the default is dropped around it and set anew', async () => {
    const Before = model('counters', { id: AutoField(), n: TextField({ default: sql`'0'` }), m: TextField({ null: true }) });
    const After = model('counters', { id: AutoField(), n: IntegerField({ default: sql`1` }), m: IntegerField({ null: true, default: sql`5` }) });
    const made = await cycle([Before], [After], "INSERT INTO counters (n, m) VALUES ('7', '8')");
    expect(summaries(made)).toEqual([
      'change type of counters.n: text → integer (and its default) !',
      'change type of counters.m: text → integer (and its default) !',
    ]);
    expect(made.steps[0]?.up).toEqual([
      "m.dropDefault('counters', 'n');",
      "m.alterColumnType('counters', 'n', 'integer', { using: sql`\"n\"::integer`, from: 'text' });",
      "m.setDefault('counters', 'n', sql`1`);",
    ]);
    expect(made.steps[1]?.down).toEqual(["m.dropDefault('counters', 'm');", "m.alterColumnType('counters', 'm', 'text');"]);
  });

  it('the converted values survive the type change (USING ran)', async () => {
    const Before = model('items', { id: AutoField(), qty: TextField() });
    const After = model('items', { id: AutoField(), qty: IntegerField() });
    await createdBy(database.url(), [Before]);
    await adminQuery(database.url(), "INSERT INTO items (qty) VALUES ('12'), ('7')");
    await make([After]);
    await runner().up();
    const { rows } = await adminQuery(database.url(), 'SELECT qty, pg_typeof(qty)::text AS t FROM items ORDER BY id');
    expect(rows).toEqual([
      { qty: 12, t: 'integer' },
      { qty: 7, t: 'integer' },
    ]);
  });

  it('indexes (unique, partial, by method), unique constraints and checks, added and dropped', async () => {
    const Doc = model(
      'docs',
      {
        id: AutoField(),
        title: TextField(),
        slug: TextField(),
        tag: TextField({ index: true }),
        qty: IntegerField(),
        price: DecimalField({ maxDigits: 10, decimalPlaces: 2 }),
        body: JSONField<unknown>({ null: true }),
        search: TSVectorField({ null: true }),
        deletedAt: CharField({ maxLength: 30, null: true }),
      },
      { constraints: [{ unique: ['title', 'slug'] }, { check: 'qty < 1000', name: 'docs_qty_small' }] },
    );
    const Doc2 = model(
      'docs',
      {
        id: AutoField(),
        title: TextField(),
        slug: TextField({ unique: true }),
        tag: TextField(),
        qty: IntegerField(),
        price: DecimalField({ maxDigits: 10, decimalPlaces: 2, check: 'price >= 0' }),
        body: JSONField<unknown>({ null: true }),
        search: TSVectorField({ null: true }),
        deletedAt: CharField({ maxLength: 30, null: true }),
      },
      {
        constraints: [{ unique: ['title', 'qty'] }, { check: 'qty >= 0', name: 'docs_qty_nonneg' }],
        indexes: [
          { fields: ['title'], where: sql`deleted_at IS NULL`, name: 'docs_live_title' },
          { fields: ['search'], using: 'gin' },
          { fields: ['slug', 'qty'], unique: true },
        ],
      },
    );
    const made = await cycle([Doc], [Doc2]);
    expect(summaries(made)).toEqual([
      'drop unique docs_title_slug_key on docs (title, slug)',
      'drop check docs_qty_small on docs',
      'drop index docs_tag_idx on docs',
      'add unique docs_slug_key on docs (slug)',
      'add unique docs_title_qty_key on docs (title, qty)',
      'add check docs_price_check on docs',
      'add check docs_qty_nonneg on docs',
      'add index docs_live_title on docs',
      'add index docs_search_idx on docs',
      'add unique index docs_slug_qty_key on docs',
    ]);
    expect(made.source).toContain("m.addIndex('docs', ['title'], { name: 'docs_live_title', where: sql`(deleted_at IS NULL)` });");
    expect(made.source).toContain("m.addIndex('docs', ['search'], { name: 'docs_search_idx', using: 'gin' });");
    expect(made.source).toContain("m.addIndex('docs', ['slug', 'qty'], { name: 'docs_slug_qty_key', unique: true });");
  });

  it('enums: a new type, an added value (its down rebuilds the type), a dropped type', async () => {
    const User = model('users', {
      id: AutoField(),
      mood: EnumField(['happy', 'sad'] as const, { typeName: 'mood', default: sql`'happy'` }),
      kind: EnumField(['a', 'b'] as const, { typeName: 'kind', null: true }),
    });
    const User2 = model('users', {
      id: AutoField(),
      mood: EnumField(['happy', 'meh', 'sad'] as const, { typeName: 'mood', default: sql`'happy'` }),
      tone: EnumField(['calm', 'loud'] as const, { typeName: 'tone', null: true }),
    });
    const made = await cycle([User], [User2], "INSERT INTO users (mood, kind) VALUES ('sad', 'a')");
    expect(summaries(made)).toEqual([
      'add meh to enum mood',
      'create enum tone (calm, loud)',
      'drop column users.kind !',
      'add column users.tone tone',
      'drop enum kind',
    ]);
    expect(made.source).toContain("m.addEnumValue('mood', 'meh', { after: 'happy' });");
    expect(made.source).toContain("m.alterColumnType('users', 'mood', 'mood', { using: sql`\"mood\"::text::mood` });");
    const { rows } = await adminQuery(database.url(), 'SELECT mood::text FROM users');
    expect(rows).toEqual([{ mood: 'sad' }]);
  });
});

describe('migrate make: what the models do not declare', () => {
  it('drops tables and enums no model declares (flagged), unless `ignore` leaves them out; never the history table', async () => {
    const User = model('users', { id: AutoField() });
    await createdBy(database.url(), [User]);
    await adminQuery(
      database.url(),
      "CREATE TABLE theirs (id integer); CREATE TYPE their_mood AS ENUM ('x'); CREATE TABLE pewit_migrations (name text); CREATE VIEW their_view AS SELECT 1 AS one",
    );
    const all = await make([User], { dryRun: true });
    expect(summaries(all)).toEqual(['drop table theirs !', 'drop enum their_mood']);
    expect(all.notes).toEqual(['view their_view left alone: make does not write views (models do not know their query); write m.sql(…) by hand']);
    const mine = await make([User], { dryRun: true, ignore: (o) => o.name.startsWith('their') });
    expect(mine.steps).toEqual([]);
    expect(mine.source).toBeUndefined();
  });
});

describe('migrate make on a database that predates pewit', () => {
  it('plain DDL mapped by hand: make finds nothing, then a model change becomes exactly its step; their own constraints stay', async () => {
    // The application's tables, as its own SQL made them: its names for keys, constraints and indexes.
    await adminQuery(
      database.url(),
      `DROP SCHEMA public CASCADE; CREATE SCHEMA public;
       CREATE TABLE publishers (publisher_no serial PRIMARY KEY, title varchar(120) NOT NULL, CONSTRAINT publishers_title_uq UNIQUE (title));
       CREATE TABLE books (
         book_no serial PRIMARY KEY,
         publisher_no integer NOT NULL CONSTRAINT books_publisher_fk REFERENCES publishers (publisher_no) ON DELETE CASCADE,
         isbn char(13),
         pages integer NOT NULL DEFAULT 1 CONSTRAINT books_pages_positive CHECK (pages > 0)
       );
       CREATE INDEX books_by_publisher ON books (publisher_no);
       INSERT INTO publishers (title) VALUES ('Penguin');
       INSERT INTO books (publisher_no, isbn, pages) VALUES (1, '9780140449136', 1024);`,
    );
    const publisherFields = () => ({ id: AutoField({ columnName: 'publisher_no' }), title: CharField({ maxLength: 120, unique: true }) });
    const Publisher = model('publishers', publisherFields());
    const bookFields = () => ({
      id: AutoField({ columnName: 'book_no' }),
      publisher: ForeignKeyField(() => Publisher, { columnName: 'publisher_no', onDelete: 'CASCADE' }),
      isbn: FixedCharField({ length: 13, null: true }),
      pages: IntegerField({ default: sql`1`, check: 'pages > 0' }),
    });
    const Book = model('books', bookFields());
    const unchanged = await make([Publisher, Book], { dryRun: true });
    expect(summaries(unchanged)).toEqual([]);

    const BookAfter = model('books', { ...bookFields(), blurb: TextField({ null: true }) });
    const made = await make([Publisher, BookAfter]);
    expect(summaries(made)).toEqual(['add column books.blurb text']);
    await runner().up();
    const columns = await adminQuery(
      database.url(),
      "SELECT attname FROM pg_attribute WHERE attrelid = 'books'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
    );
    expect(columns.rows.map((r) => r.attname)).toEqual(['book_no', 'publisher_no', 'isbn', 'pages', 'blurb']);
    const theirs = await adminQuery(
      database.url(),
      `SELECT conname FROM pg_constraint WHERE conrelid IN ('books'::regclass, 'publishers'::regclass) AND contype IN ('u', 'f', 'c')
       UNION ALL SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'books'::regclass AND NOT indisprimary ORDER BY 1`,
    );
    expect(theirs.rows.map((r) => r.conname)).toEqual(['books_by_publisher', 'books_pages_positive', 'books_publisher_fk', 'publishers_title_uq']);
    expect((await adminQuery(database.url(), 'SELECT isbn, pages FROM books')).rows).toEqual([{ isbn: '9780140449136', pages: 1024 }]);
    await runner().down();
    const back = await adminQuery(
      database.url(),
      "SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = 'books'::regclass AND attname = 'blurb' AND NOT attisdropped",
    );
    expect(back.rows[0]?.n).toBe(0);
  });
});

describe('migrate make: names and schemas', () => {
  it('names with quotes, backticks, ${ and backslashes stay data in the generated source and in the SQL', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the name must hold a ${ that the generated source must not interpolate
    const odd = 'it\'s `${process.exit(1)}` \\ "q"';
    const Before = model('odd "t"', { id: AutoField() });
    const After = model('odd "t"', { id: AutoField(), note: TextField({ columnName: odd, null: true, default: sql`'a''b \\ \`\${x}'` }) });
    const made = await cycle([Before], [After]);
    expect(summaries(made)).toEqual([`add column odd "t".${odd} text`]);
    await runner().up();
    const { rows } = await adminQuery(
      database.url(),
      `SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) AS def FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE a.attrelid = '"odd ""t"""'::regclass AND a.attname <> 'id'`,
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the stored default holds a literal ${
    expect(rows).toEqual([{ attname: odd, def: "'a''b \\ `${x}'::text" }]);
  });

  it('models in another schema: tables, enums, indexes and foreign keys there; make after up finds nothing; down restores it', async () => {
    await adminQuery(database.url(), 'DROP SCHEMA IF EXISTS lib CASCADE; CREATE SCHEMA lib');
    const Shelf = model('shelves', { id: AutoField(), tone: EnumField(['calm', 'loud'] as const, { typeName: 'lib.tone' }) }, { schema: 'lib' });
    const Shelf2 = model(
      'shelves',
      { id: AutoField(), tone: EnumField(['calm', 'soft', 'loud'] as const, { typeName: 'lib.tone' }), label: TextField({ index: true, null: true }) },
      { schema: 'lib' },
    );
    const Book = model('books', { id: AutoField(), shelf: ForeignKeyField(() => Shelf2, { onDelete: 'CASCADE' }) }, { schema: 'lib' });
    await createdBy(database.url(), []);
    await db.createTables([Shelf]);
    await adminQuery(database.url(), "INSERT INTO lib.shelves (tone) VALUES ('loud')");
    const before = await introspectDatabase(db, { schemas: ['lib'] });
    const made = await make([Shelf2, Book]);
    expect(made.source).toContain("m.addEnumValue({ schema: 'lib', name: 'tone' }, 'soft', { after: 'calm' });");
    expect(made.source).toContain("m.addForeignKey({ schema: 'lib', name: 'books' }, ['shelf_id'], { schema: 'lib', name: 'shelves' }, ['id'], {");
    await runner().up();
    expect(diffSchemas(await introspectDatabase(db, { schemas: ['lib'] }), schemaOfModels([Shelf2, Book]))).toEqual([]);
    expect((await make([Shelf2, Book], { name: 'again' })).path).toBeUndefined();
    await runner().down();
    expect(await introspectDatabase(db, { schemas: ['lib'] })).toEqual(before);
  });
});

describe('migrate make: keys and identity', () => {
  it('a primary key over other columns, an identity added to a column', async () => {
    const Link = model('links', { a: IntegerField(), b: IntegerField(), n: BigIntegerField() }, { primaryKey: CompositeKey('a', 'b') });
    const Link2 = model('links', { a: IntegerField({ primaryKey: true }), b: IntegerField(), n: BigIntegerField({ identity: true }) });
    const made = await cycle([Link], [Link2], 'INSERT INTO links (a, b, n) VALUES (1, 2, 3)');
    expect(summaries(made)).toEqual(['drop primary key links_pkey of links', 'identity by default on links.n', 'add primary key links_pkey on links (a) !']);
    expect(made.source).toContain('m.sql(sql`ALTER TABLE "links" ALTER COLUMN "n" ADD GENERATED BY DEFAULT AS IDENTITY`);');
  });
});

describe('migrate make: serial to identity', () => {
  it('a serial key becomes an identity: its default goes first, and comes back in the down', async () => {
    const Before = model('tickets', { id: AutoField(), note: TextField({ null: true }) });
    const After = model('tickets', { id: IntegerField({ primaryKey: true, identity: true }), note: TextField({ null: true }) });
    const made = await cycle([Before], [After]);
    expect(summaries(made)).toEqual(['identity by default on tickets.id (instead of its default)']);
    expect(made.steps[0]?.down).toEqual([
      'm.sql(sql`ALTER TABLE "tickets" ALTER COLUMN "id" DROP IDENTITY`);',
      "m.setDefault('tickets', 'id', sql`nextval('tickets_id_seq'::regclass)`);",
    ]);
  });
});

describe('migrate make: what is compared', () => {
  it('indexes and constraints are matched by definition, not name; a narrowed varchar is destructive', async () => {
    const Doc = model(
      'docs',
      { id: AutoField(), tag: TextField({ index: true }), code: CharField({ maxLength: 100 }) },
      { constraints: [{ check: 'id > 0', name: 'docs_positive' }] },
    );
    await createdBy(database.url(), [Doc]);
    await adminQuery(database.url(), 'ALTER INDEX docs_tag_idx RENAME TO their_tag_index; ALTER TABLE docs RENAME CONSTRAINT docs_positive TO their_check');
    expect(summaries(await make([Doc], { dryRun: true }))).toEqual([]);
    const Narrow = model(
      'docs',
      { id: AutoField(), tag: TextField({ index: true }), code: CharField({ maxLength: 20 }) },
      { constraints: [{ check: 'id > 0', name: 'docs_positive' }] },
    );
    const made = await make([Narrow], { dryRun: true });
    expect(summaries(made)).toEqual(['change type of docs.code: character varying(100) → character varying(20) !']);
    expect(made.source).toContain('// DESTRUCTIVE: ');
  });

  it('a table renamed in another schema: --rename schema.old:schema.new', async () => {
    await createdBy(database.url(), []);
    await adminQuery(database.url(), 'DROP SCHEMA IF EXISTS shop CASCADE; CREATE SCHEMA shop');
    const Loan = model('loans', { id: AutoField(), note: TextField({ null: true }) }, { schema: 'shop' });
    const Borrowing = model('borrowings', { id: AutoField(), note: TextField({ null: true }) }, { schema: 'shop' });
    await db.createTables([Loan]);
    const made = await make([Borrowing], { renames: ['shop.loans:shop.borrowings'], dryRun: true });
    expect(summaries(made)).toEqual(['rename table shop.loans → borrowings', 'rename sequence shop.loans_id_seq → borrowings_id_seq']);
  });
  it('rename candidates: the same type, a wider integer, a longer varchar, varchar to text; never a narrower type', async () => {
    const Before = model('kinds', {
      id: AutoField(),
      a: IntegerField(),
      v: CharField({ maxLength: 10 }),
      x: CharField({ maxLength: 50 }),
      n: BigIntegerField(),
      t: TextField(),
    });
    const After = model('kinds', {
      id: AutoField(),
      a2: BigIntegerField(),
      v2: CharField({ maxLength: 20 }),
      x2: TextField(),
      n2: IntegerField(),
      t2: TextField(),
    });
    await createdBy(database.url(), [Before]);
    const asked: string[] = [];
    await make([After], {
      dryRun: true,
      ask: (q) => {
        asked.push(q);
        return false;
      },
    });
    // Never a narrower type: bigint → integer (n → n2), varchar(50) → varchar(20) (x → v2), text → varchar (t → v2).
    expect(asked).toEqual([
      'rename kinds.a → kinds.a2?',
      'rename kinds.a → kinds.n2?',
      'rename kinds.v → kinds.v2?',
      'rename kinds.v → kinds.x2?',
      'rename kinds.v → kinds.t2?',
      'rename kinds.x → kinds.x2?',
      'rename kinds.x → kinds.t2?',
      'rename kinds.n → kinds.a2?',
      'rename kinds.t → kinds.x2?',
      'rename kinds.t → kinds.t2?',
    ]);
  });
});

describe('migrate make: renames are decided, never guessed', () => {
  const Before = model('users', { id: AutoField(), fullname: TextField(), age: IntegerField({ null: true }) });
  const After = model('users', { id: AutoField(), full_name: TextField(), age: IntegerField({ null: true }) });
  const seed = "INSERT INTO users (fullname, age) VALUES ('Ada Lovelace', 36)";

  it('renames a column when `renames` says so, keeping its data; make then finds nothing', async () => {
    await createdBy(database.url(), [Before]);
    await adminQuery(database.url(), seed);
    const made = await make([After], { renames: ['users.fullname:users.full_name'] });
    expect(summaries(made)).toEqual(['rename column users.fullname → full_name']);
    expect(made.source).toContain("m.renameColumn('users', 'fullname', 'full_name');");
    expect(made.source).not.toContain('DESTRUCTIVE');
    await runner().up();
    expect((await adminQuery(database.url(), 'SELECT full_name FROM users')).rows).toEqual([{ full_name: 'Ada Lovelace' }]);
    expect((await make([After], { name: 'again' })).path).toBeUndefined();
    await runner().down();
    expect((await adminQuery(database.url(), 'SELECT fullname FROM users')).rows).toEqual([{ fullname: 'Ada Lovelace' }]);
  });

  it('asks about each candidate; yes renames', async () => {
    await createdBy(database.url(), [Before]);
    const asked: string[] = [];
    const made = await make([After], {
      ask: (q) => {
        asked.push(q);
        return true;
      },
    });
    expect(asked).toEqual(['rename users.fullname → users.full_name?']);
    expect(made.renamed).toHaveLength(1);
    expect(summaries(made)).toEqual(['rename column users.fullname → full_name']);
  });

  it('without an answer (or with no) writes drop + add, loudly DESTRUCTIVE', async () => {
    await createdBy(database.url(), [Before]);
    for (const ask of [undefined, () => false]) {
      const made = await make([After], { ask, dryRun: true });
      expect(made.notRenamed).toHaveLength(1);
      expect(summaries(made)).toEqual(['drop column users.fullname !', 'add column users.full_name text']);
      expect(made.source).toContain(
        '// DESTRUCTIVE: the values of users.fullname are deleted; users.fullname was not confirmed as renamed to users.full_name, so it is a drop and an add: if it was renamed, delete this file and run make again with --rename users.fullname:users.full_name',
      );
      expect(made.source).toContain("m.dropColumn('users', 'fullname', { was: { type: 'text', notNull: true } });");
    }
    expect(written(folder.dir).files).toEqual([]);
  });

  it('renames a table (and the sequence of its serial key); make then finds nothing; down renames back', async () => {
    const Loan = model('loans', { id: AutoField(), note: TextField({ null: true }) });
    const Borrowing = model('borrowings', { id: AutoField(), note: TextField({ null: true }) });
    await createdBy(database.url(), [Loan]);
    const start = await schemaOf(database.url());
    const made = await make([Borrowing], { renames: ['loans:borrowings'] });
    expect(summaries(made)).toEqual(['rename table loans → borrowings', 'rename sequence loans_id_seq → borrowings_id_seq']);
    await runner().up();
    await createdBy(expected.url(), [Borrowing]);
    // Constraint and index names stay the server's old ones (loans_pkey): the catalogs differ in those names only.
    const rename = (s: string) => s.replaceAll('loans_pkey', 'borrowings_pkey');
    const migrated = await schemaOf(database.url());
    expect(JSON.parse(rename(JSON.stringify(migrated)))).toEqual(await schemaOf(expected.url()));
    expect((await make([Borrowing], { name: 'again' })).path).toBeUndefined();
    await runner().down();
    expect(await schemaOf(database.url())).toEqual(start);
  });

  it('a malformed or unknown --rename is an error naming the candidates, and nothing is written', async () => {
    await createdBy(database.url(), [Before]);
    await expect(make([After], { renames: ['users.fullname'] })).rejects.toThrow(
      /--rename users\.fullname: write old:new, as table\.column:table\.column \(users\.fullname:users\.full_name\) or old_table:new_table/,
    );
    await expect(make([After], { renames: ['users.fullname:users.nope'] })).rejects.toThrow(
      new MigrationError('--rename users.fullname:users.nope: not a rename the models allow; the rename candidates are: users.fullname:users.full_name'),
    );
    await expect(make([After], { renames: ['users.age:users.full_name'] })).rejects.toThrow(/not a rename the models allow/);
    expect(written(folder.dir).files).toEqual([]);
  });
});
