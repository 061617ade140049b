import {
  type AnyModelClass,
  AutoField,
  CharField,
  DatabaseError,
  ForeignKeyField,
  IntegerField,
  model,
  ProgrammingError,
  sql,
  TextField,
  UniqueViolationError,
} from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { recordQueries, useTestDatabase } from '@pewit/test-support';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const database = useTestDatabase();

function defineModels(db: PostgresqlDatabase) {
  class Author extends model(
    'authors',
    {
      id: AutoField(),
      email: CharField({ maxLength: 120, unique: true }),
      nickname: TextField({ index: true }),
      age: IntegerField({ check: 'age >= 0' }),
      bio: TextField({ null: true, columnName: 'biography' }),
    },
    { database: db, schema: 'app' },
  ) {}
  class Book extends model(
    'books',
    {
      id: AutoField(),
      author: ForeignKeyField(() => Author, { onDelete: 'CASCADE', onUpdate: 'RESTRICT' }),
      editor: ForeignKeyField(() => Author, { null: true, onDelete: 'SET NULL' }),
      title: TextField(),
      year: IntegerField(),
    },
    {
      database: db,
      schema: 'app',
      indexes: [
        { fields: ['author', 'year'], unique: true },
        { fields: ['title', 'year'], name: 'book_title_year' },
      ],
    },
  ) {}
  // A cycle: each references the other.
  class Department extends model(
    'departments',
    { id: AutoField(), manager: ForeignKeyField((): AnyModelClass => Employee, { null: true }), title: TextField() },
    { database: db },
  ) {}
  class Employee extends model(
    'employees',
    { id: AutoField(), department: ForeignKeyField((): AnyModelClass => Department), fullName: TextField() },
    { database: db },
  ) {}
  class Category extends model('categories', { id: AutoField(), parent: ForeignKeyField('self', { null: true }), title: TextField() }, { database: db }) {}
  return { Author, Book, Department, Employee, Category };
}

let db: PostgresqlDatabase;
let m: ReturnType<typeof defineModels>;

async function catalog(query: ReturnType<typeof sql>) {
  return (await db.execute(query)).rows;
}
/** Table constraints; PostgreSQL 18 also lists NOT NULL as constraints (type 'n'), checked through information_schema instead. */
const constraints = (table: string) =>
  catalog(sql`SELECT conname AS name, contype AS type, pg_get_constraintdef(c.oid) AS def
              FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid WHERE t.relname = ${table} AND contype <> 'n' ORDER BY conname`);
const indexes = (table: string) => catalog(sql`SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = ${table} ORDER BY indexname`);
const columns = (table: string) =>
  catalog(sql`SELECT table_schema AS schema, column_name AS name, data_type AS type, is_nullable AS nullable
              FROM information_schema.columns WHERE table_name = ${table} ORDER BY ordinal_position`);

beforeAll(async () => {
  db = new PostgresqlDatabase(database.url());
  m = defineModels(db);
  await db.execute(sql`CREATE SCHEMA app`);
});
afterAll(() => db.close());
// Each test starts with none of the tables and creates what it reads, so none depends on another having run first.
beforeEach(async () => {
  await db.execute(sql`DROP TABLE IF EXISTS app.books, app.authors, departments, employees, categories CASCADE`);
});
const createAll = () => db.createTables([m.Author, m.Book, m.Department, m.Employee, m.Category]);

describe('createTables', () => {
  it('creates tables in foreign-key order whatever order is given, cycles closed by ALTER TABLE', async () => {
    const log = recordQueries(db);
    await db.createTables([m.Book, m.Employee, m.Category, m.Department, m.Author]);
    log.stop();
    const created = log.sql.filter((s) => s.startsWith('CREATE TABLE')).map((s) => /CREATE TABLE (\S+)/.exec(s)?.[1]);
    const position = (name: string) => created.indexOf(name);
    expect(created).toHaveLength(5);
    expect(position('"app"."authors"')).toBeLessThan(position('"app"."books"'));
    const altered = log.sql.filter((s) => s.startsWith('ALTER TABLE'));
    expect(altered).toHaveLength(1);
    // Whichever of the cycle came first gets its reference afterwards; the other references it inline.
    const firstOfCycle = position('"departments"') < position('"employees"') ? 'departments' : 'employees';
    expect(altered[0]).toMatch(new RegExp(`^ALTER TABLE "${firstOfCycle}" ADD CONSTRAINT .* FOREIGN KEY`));
    // Indexes come after every table.
    const lastTable = Math.max(...log.sql.map((s, i) => (s.startsWith('CREATE TABLE') ? i : -1)));
    const firstIndex = log.sql.findIndex((s) => s.includes('INDEX'));
    expect(firstIndex).toBeGreaterThan(lastTable);
  });

  it('puts the columns in the declared schema with the declared types and NOT NULL', async () => {
    await createAll();
    expect(await columns('authors')).toEqual([
      { schema: 'app', name: 'id', type: 'integer', nullable: 'NO' },
      { schema: 'app', name: 'email', type: 'character varying', nullable: 'NO' },
      { schema: 'app', name: 'nickname', type: 'text', nullable: 'NO' },
      { schema: 'app', name: 'age', type: 'integer', nullable: 'NO' },
      { schema: 'app', name: 'biography', type: 'text', nullable: 'YES' },
    ]);
    expect(await columns('books')).toEqual([
      { schema: 'app', name: 'id', type: 'integer', nullable: 'NO' },
      { schema: 'app', name: 'author_id', type: 'integer', nullable: 'NO' },
      { schema: 'app', name: 'editor_id', type: 'integer', nullable: 'YES' },
      { schema: 'app', name: 'title', type: 'text', nullable: 'NO' },
      { schema: 'app', name: 'year', type: 'integer', nullable: 'NO' },
    ]);
    const { rows } = await db.execute(sql`SELECT column_default FROM information_schema.columns WHERE table_name = 'authors' AND column_name = 'id'`);
    expect(rows[0]?.column_default).toMatch(/^nextval\(/);
  });

  it('declares primary keys, unique, check and foreign-key constraints with their actions', async () => {
    await createAll();
    expect(await constraints('authors')).toEqual([
      { name: 'authors_age_check', type: 'c', def: 'CHECK ((age >= 0))' },
      { name: 'authors_email_key', type: 'u', def: 'UNIQUE (email)' },
      { name: 'authors_pkey', type: 'p', def: 'PRIMARY KEY (id)' },
    ]);
    expect(await constraints('books')).toEqual([
      { name: 'books_author_id_fkey', type: 'f', def: 'FOREIGN KEY (author_id) REFERENCES app.authors(id) ON UPDATE RESTRICT ON DELETE CASCADE' },
      { name: 'books_editor_id_fkey', type: 'f', def: 'FOREIGN KEY (editor_id) REFERENCES app.authors(id) ON DELETE SET NULL' },
      { name: 'books_pkey', type: 'p', def: 'PRIMARY KEY (id)' },
    ]);
    expect(await constraints('departments')).toContainEqual({
      name: 'departments_manager_id_fkey',
      type: 'f',
      def: 'FOREIGN KEY (manager_id) REFERENCES employees(id)',
    });
    expect(await constraints('employees')).toContainEqual({
      name: 'employees_department_id_fkey',
      type: 'f',
      def: 'FOREIGN KEY (department_id) REFERENCES departments(id)',
    });
    expect(await constraints('categories')).toContainEqual({
      name: 'categories_parent_id_fkey',
      type: 'f',
      def: 'FOREIGN KEY (parent_id) REFERENCES categories(id)',
    });
  });

  it('creates single-column, foreign-key, unique multi-column and named indexes', async () => {
    await createAll();
    expect(await indexes('authors')).toEqual([
      { name: 'authors_email_key', def: 'CREATE UNIQUE INDEX authors_email_key ON app.authors USING btree (email)' },
      { name: 'authors_nickname_idx', def: 'CREATE INDEX authors_nickname_idx ON app.authors USING btree (nickname)' },
      { name: 'authors_pkey', def: 'CREATE UNIQUE INDEX authors_pkey ON app.authors USING btree (id)' },
    ]);
    expect(await indexes('books')).toEqual([
      { name: 'book_title_year', def: 'CREATE INDEX book_title_year ON app.books USING btree (title, year)' },
      { name: 'books_author_id_idx', def: 'CREATE INDEX books_author_id_idx ON app.books USING btree (author_id)' },
      { name: 'books_author_id_year_key', def: 'CREATE UNIQUE INDEX books_author_id_year_key ON app.books USING btree (author_id, year)' },
      { name: 'books_editor_id_idx', def: 'CREATE INDEX books_editor_id_idx ON app.books USING btree (editor_id)' },
      { name: 'books_pkey', def: 'CREATE UNIQUE INDEX books_pkey ON app.books USING btree (id)' },
    ]);
  });

  it('the constraints are enforced: the unique multi-column index refuses a duplicate', async () => {
    await createAll();
    const author = await m.Author.create({ email: 'a@x', nickname: 'a', age: 30 });
    await m.Book.create({ author, title: 'One', year: 2000 });
    const error = await m.Book.create({ author, title: 'Two', year: 2000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UniqueViolationError);
    expect((error as UniqueViolationError).constraint).toBe('books_author_id_year_key');
    expect((error as UniqueViolationError).schema).toBe('app');
  });

  it('safe: true on existing tables sends no DDL at all, creates a missing one with IF NOT EXISTS; without it a second create is a ProgrammingError (42P07)', async () => {
    await createAll();
    const log = recordQueries(db);
    await db.createTables([m.Author, m.Book, m.Department, m.Employee, m.Category], { safe: true });
    log.stop();
    expect(log.sql).toEqual([expect.stringMatching(/^SELECT to_regclass\(t\) IS NOT NULL FROM unnest/)]);
    // One missing table: only it is created, each of its statements with IF NOT EXISTS.
    await db.execute(sql`DROP TABLE categories`);
    const again = recordQueries(db);
    await db.createTables([m.Author, m.Book, m.Department, m.Employee, m.Category], { safe: true });
    again.stop();
    expect(again.sql.slice(1)).toEqual([
      expect.stringMatching(/^CREATE TABLE IF NOT EXISTS "categories" /),
      expect.stringMatching(/^CREATE INDEX IF NOT EXISTS "categories_parent_id_idx" /),
    ]);
    const error = await m.Category.createTable().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProgrammingError);
    expect((error as ProgrammingError).code).toBe('42P07');
  });
});

describe('truncate', () => {
  it('empties a table; restartIdentity restarts its serial', async () => {
    await createAll();
    await m.Category.create({ title: 'x' });
    await m.Category.truncate({ restartIdentity: true });
    expect(await m.Category.select().count()).toBe(0);
    expect((await m.Category.create({ title: 'y' })).id).toBe(1);
    m.Category.truncateSync();
    expect(await m.Category.select().count()).toBe(0);
  });

  it('refuses a referenced table unless cascade, which empties the referencing tables too', async () => {
    await createAll();
    await m.Book.create({ author: await m.Author.create({ email: 'b@x', nickname: 'b', age: 40 }), title: 'Kept?', year: 2001 });
    expect(await m.Book.select().count()).toBeGreaterThan(0);
    const log = recordQueries(db);
    const error = await m.Author.truncate().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).code).toBe('0A000');
    await m.Author.truncate({ cascade: true });
    log.stop();
    expect(log.sql).toEqual(['TRUNCATE TABLE "app"."authors"', 'TRUNCATE TABLE "app"."authors" CASCADE']);
    expect(await m.Book.select().count()).toBe(0);
  });
});

describe('dropTables', () => {
  it('drops in reverse dependency order whatever order is given', async () => {
    await createAll();
    const log = recordQueries(db);
    await db.dropTables([m.Author, m.Book, m.Category]);
    log.stop();
    expect(log.sql).toEqual(['DROP TABLE "categories"', 'DROP TABLE "app"."books"', 'DROP TABLE "app"."authors"']);
    expect(await catalog(sql`SELECT 1 FROM pg_class WHERE relname IN ('authors', 'books', 'categories') AND relkind = 'r'`)).toEqual([]);
  });

  it('a referenced table needs cascade, which removes the referencing foreign key', async () => {
    await createAll();
    const error = await m.Department.dropTable().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseError);
    expect((error as DatabaseError).code).toBe('2BP01');
    await m.Department.dropTable({ cascade: true });
    expect(await constraints('employees')).not.toContainEqual(expect.objectContaining({ type: 'f' }));
    m.Employee.dropTableSync({ safe: true });
    m.Employee.dropTableSync({ safe: true });
    expect(await catalog(sql`SELECT 1 FROM pg_class WHERE relname IN ('departments', 'employees')`)).toEqual([]);
  });

  // docs/getting-started.md: a model with no AutoField (or other primary key) has none; no implicit id.
  it('a model without a primary key gets none: no implicit id column, no PRIMARY KEY constraint', async () => {
    class LogLine extends model('log_lines', { loggedAt: IntegerField(), message: TextField() }, { database: db }) {}
    await db.execute(sql`DROP TABLE IF EXISTS log_lines`);
    await LogLine.createTable();
    try {
      expect((await columns('log_lines')).map((r) => r.name)).toEqual(['logged_at', 'message']);
      expect(await constraints('log_lines')).toEqual([]);
      expect(LogLine._meta.fields.map((f) => f.name)).toEqual(['loggedAt', 'message']);
      expect(LogLine._meta.keyFields).toEqual([]);
      await LogLine.insert({ loggedAt: 1, message: 'no key' });
      expect(await LogLine.select().dicts()).toEqual([{ loggedAt: 1, message: 'no key' }]);
    } finally {
      await LogLine.dropTable();
    }
  });

  it('createTable and createTableSync create one model with its indexes', async () => {
    await m.Author.createTable();
    m.Book.createTableSync();
    expect((await indexes('books')).map((r) => r.name)).toContain('books_author_id_year_key');
  });
});
