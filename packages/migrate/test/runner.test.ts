import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { adminQuery, useTestDatabase } from '@pewit/test-support';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectingReporter, MigrationRunner } from '../src/index.js';
import { catalog } from './catalog.js';
import { migrationFolder } from './migration-folder.js';

const database = useTestDatabase();
let db: PostgresqlDatabase;
let folder: ReturnType<typeof migrationFolder>;

beforeAll(() => {
  db = new PostgresqlDatabase(database.url());
});
afterAll(() => db.close());
beforeEach(async () => {
  await adminQuery(database.url(), 'DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  folder = migrationFolder();
});
afterEach(() => folder.remove());

const runner = (options: { dryRun?: boolean; force?: boolean } = {}) => {
  const reporter = collectingReporter();
  return { reporter, runner: new MigrationRunner(db, { migrations: folder.dir, reporter, ...options }) };
};
const history = async () => (await adminQuery(database.url(), 'SELECT name, checksum, duration_ms FROM pewit_migrations ORDER BY applied_at, name')).rows;
const tables = async () => Object.keys((await catalog(database.url())).tables).sort();

const CREATE_USERS = `export default defineMigration({
  up(m) {
    m.createTable('users', { id: { type: 'bigint', primaryKey: true, identity: 'by default' }, name: { type: 'text', notNull: true } });
  },
});`;
const ADD_BIO = `export default defineMigration({
  up(m) {
    m.addColumn('users', 'bio', { type: 'text' });
    m.addIndex('users', ['name']);
  },
});`;

describe('MigrationRunner', () => {
  it('up applies pending migrations in name order, records each once, and a second up finds nothing', async () => {
    folder.write('001_create_users', CREATE_USERS);
    folder.write('002_add_bio', ADD_BIO);
    const { runner: r, reporter } = runner();
    expect(await r.up()).toEqual(['001_create_users', '002_add_bio']);
    expect((await catalog(database.url())).tables.users?.columns).toEqual(['id bigint not null identity d', 'name text not null', 'bio text']);
    const rows = await history();
    expect(rows.map((row) => row.name)).toEqual(['001_create_users', '002_add_bio']);
    expect(rows[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(reporter.lines).toContain('▲ applying 001_create_users');
    expect(reporter.lines.some((l) => /^ {2}done \d+ ms$/.test(l))).toBe(true);
    expect(await r.up()).toEqual([]);
    expect(reporter.lines.at(-1)).toBe('nothing to migrate: every migration is applied');
  });

  it('up --to stops at that migration; down --steps rolls back newest first with derived downs; status tells each state', async () => {
    folder.write('001_create_users', CREATE_USERS);
    folder.write('002_add_bio', ADD_BIO);
    folder.write('003_add_age', `export default defineMigration({ up(m) { m.addColumn('users', 'age', { type: 'integer' }) } });`);
    const { runner: r, reporter } = runner();
    expect(await r.up({ to: '002_add_bio' })).toEqual(['001_create_users', '002_add_bio']);
    expect((await r.status()).map((s) => [s.name, s.state])).toEqual([
      ['001_create_users', 'applied'],
      ['002_add_bio', 'applied'],
      ['003_add_age', 'pending'],
    ]);
    await r.up();
    expect(await r.down({ steps: 2 })).toEqual(['003_add_age', '002_add_bio']);
    expect(reporter.lines).toContain('▼ rolling back 002_add_bio (derived down)');
    // The derived down of addColumn drops it: flagged before it runs.
    expect(reporter.lines).toContain('  ! destructive: drop column users.bio: the values of users.bio are deleted; a down adds the column back empty');
    const users = (await catalog(database.url())).tables.users;
    expect(users?.columns).toEqual(['id bigint not null identity d', 'name text not null']);
    expect(users?.indexes).toEqual(['CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)']);
    expect((await history()).map((row) => row.name)).toEqual(['001_create_users']);
    await expect(r.up({ to: 'nope' })).rejects.toThrow(/--to nope: no migration file of that name/);
  });

  it('redo rolls back the last migration and applies it again', async () => {
    folder.write('001_create_users', CREATE_USERS);
    folder.write('002_add_bio', ADD_BIO);
    const { runner: r, reporter } = runner();
    await r.up();
    await adminQuery(database.url(), "INSERT INTO users (name, bio) VALUES ('ada', 'kept?')");
    expect(await r.redo()).toBe('002_add_bio');
    expect(reporter.lines.filter((l) => l.startsWith('▼') || l.startsWith('▲')).slice(-2)).toEqual([
      '▼ rolling back 002_add_bio (derived down)',
      '▲ applying 002_add_bio',
    ]);
    // The column came back, its data did not: what a down cannot restore.
    expect((await adminQuery(database.url(), 'SELECT bio FROM users')).rows).toEqual([{ bio: null }]);
    expect((await history()).map((row) => row.name)).toEqual(['001_create_users', '002_add_bio']);
  });

  it('a failing migration is rolled back whole: none of its steps stay and it is not recorded', async () => {
    folder.write('001_create_users', CREATE_USERS);
    folder.write(
      '002_broken',
      `export default defineMigration({
        up(m) {
          m.createTable('audit', { id: { type: 'bigint', primaryKey: true } });
          m.addColumn('users', 'bio', { type: 'text' });
          m.sql(sql\`INSERT INTO users (id, name) VALUES (1, NULL)\`);
        },
      });`,
    );
    const { runner: r } = runner();
    await expect(r.up()).rejects.toThrow(
      /002_broken \(up\) failed and was rolled back whole, nothing of it stays: NotNullViolationError: null value in column "name"/,
    );
    expect(await tables()).toEqual(['pewit_migrations', 'users']);
    expect((await catalog(database.url())).tables.users?.columns).toEqual(['id bigint not null identity d', 'name text not null']);
    expect((await history()).map((row) => row.name)).toEqual(['001_create_users']);
  });

  it('a migration file edited after it was applied is refused, unless forced', async () => {
    const path = folder.write('001_create_users', CREATE_USERS);
    folder.write('002_add_bio', ADD_BIO);
    await runner().runner.up({ to: '001_create_users' });
    appendFileSync(path, '// edited\n');
    const { runner: r } = runner();
    expect((await r.status()).map((s) => s.state)).toEqual(['changed', 'pending']);
    await expect(r.up()).rejects.toThrow(/001_create_users: the file changed after it was applied \(checksum mismatch\).*--force/);
    await expect(r.down()).rejects.toThrow(/checksum mismatch/);
    expect((await history()).map((row) => row.name)).toEqual(['001_create_users']);
    const forced = runner({ force: true });
    expect(await forced.runner.up()).toEqual(['002_add_bio']);
    expect(forced.reporter.lines[0]).toMatch(/--force: 001_create_users changed after it was applied/);
    expect((await r.status()).map((s) => s.state)).toEqual(['applied', 'applied']);
  });

  it('--dry-run prints the SQL and changes nothing, not even the history table', async () => {
    folder.write('001_create_users', CREATE_USERS);
    folder.write(
      '002_drop_name',
      `export default defineMigration({ up(m) { m.dropColumn('users', 'name', { was: { type: 'text' } }); m.addColumn('users', 'email', { type: 'text', notNull: true }) } });`,
    );
    const before = await catalog(database.url());
    const { runner: r, reporter } = runner({ dryRun: true });
    expect(await r.up()).toEqual(['001_create_users', '002_drop_name']);
    expect(await catalog(database.url())).toEqual(before);
    expect(reporter.lines).toEqual([
      '-- dry run: the SQL below is printed, not sent; nothing changes',
      '▲ applying 001_create_users',
      'BEGIN;',
      '-- create table users',
      'CREATE TABLE "users" ("id" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "name" text NOT NULL);',
      expect.stringMatching(/^INSERT INTO "pewit_migrations" \(name, checksum, duration_ms\) VALUES \('001_create_users', '[0-9a-f]{12}…', …\);$/),
      'COMMIT;',
      '▲ applying 002_drop_name',
      '  ! destructive: drop column users.name: the values of users.name are deleted; a down adds the column back empty',
      'BEGIN;',
      '-- drop column users.name (DESTRUCTIVE: the values of users.name are deleted; a down adds the column back empty)',
      'ALTER TABLE "users" DROP COLUMN "name";',
      '-- add column users.email',
      '-- checks first that "users" has no rows',
      'ALTER TABLE "users" ADD COLUMN "email" text NOT NULL;',
      expect.stringMatching(/^INSERT INTO "pewit_migrations"/),
      'COMMIT;',
      '-- dry run: 2 migration(s) would be applied',
    ]);
  });

  it('a step that cannot run in a transaction must be marked; marked, it runs statement by statement', async () => {
    folder.write('001_create_users', CREATE_USERS);
    folder.write('002_index', `export default defineMigration({ up(m) { m.addIndex('users', ['name'], { concurrently: true }) } });`);
    const { runner: r } = runner();
    await expect(r.up()).rejects.toThrow(
      /002_index: add index users_name_idx on users \(concurrently\) cannot run inside a transaction; mark the migration defineMigration\(\{ transaction: false/,
    );
    expect((await history()).map((row) => row.name)).toEqual(['001_create_users']);
    folder.write('002_index', `export default defineMigration({ transaction: false, up(m) { m.addIndex('users', ['name'], { concurrently: true }) } });`);
    await r.up();
    expect((await catalog(database.url())).tables.users?.indexes).toContain('CREATE INDEX users_name_idx ON public.users USING btree (name)');
    await r.down();
    expect((await catalog(database.url())).tables.users?.indexes).toEqual(['CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)']);
  });

  it('a down that cannot be derived is refused with every reason before anything runs; an explicit down is used as written', async () => {
    folder.write('001_create_users', CREATE_USERS);
    folder.write(
      '002_enum',
      `export default defineMigration({ up(m) { m.createEnum('mood', ['ok']); m.addEnumValue('mood', 'great'); m.dropColumn('users', 'name') } });`,
    );
    const { runner: r } = runner();
    await r.up();
    await expect(r.down()).rejects.toThrow(
      /002_enum: cannot derive its down, write down\(m\) in the file:\n {2}- add value to enum mood: PostgreSQL cannot remove a value .*\n {2}- drop column users\.name: pass \{ was/,
    );
    expect((await history()).map((row) => row.name)).toEqual(['001_create_users', '002_enum']);
    folder.write(
      '003_explicit',
      `export default defineMigration({ up(m) { m.addColumn('users', 'x', { type: 'text' }) }, down(m) { m.sql(sql\`ALTER TABLE users DROP COLUMN x\`) } });`,
    );
    await r.up();
    await r.down();
    expect((await catalog(database.url())).tables.users?.columns).toEqual(['id bigint not null identity d']);
  });

  it('records a migration in its own transaction: the history row commits with its changes, checksum the file sha256', async () => {
    const path = folder.write('001_create_users', CREATE_USERS);
    await runner().runner.up();
    // One transaction id wrote both the table's catalog row and the history row.
    const { rows } = await adminQuery(
      database.url(),
      "SELECT (SELECT xmin::text FROM pg_class WHERE relname = 'users') AS made, (SELECT xmin::text FROM pewit_migrations WHERE name = '001_create_users') AS recorded",
    );
    expect(rows[0]?.recorded).toBe(rows[0]?.made);
    expect((await history())[0]?.checksum).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    const { rows: key } = await adminQuery(
      database.url(),
      "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'pewit_migrations'::regclass AND contype = 'p'",
    );
    expect(key).toEqual([{ def: 'PRIMARY KEY (name)' }]);
  });

  it('--dry-run reads an existing history table: only the pending migrations are printed', async () => {
    folder.write('001_create_users', CREATE_USERS);
    await runner().runner.up();
    folder.write('002_add_bio', ADD_BIO);
    const { runner: r, reporter } = runner({ dryRun: true });
    expect(await r.up()).toEqual(['002_add_bio']);
    expect(reporter.lines).not.toContain('▲ applying 001_create_users');
    expect((await history()).map((row) => row.name)).toEqual(['001_create_users']);
  });

  it('without a transaction, a failing statement names the operations that already ran (they stay); nothing is recorded', async () => {
    folder.write('001_create_users', CREATE_USERS);
    folder.write(
      '002_loose',
      `export default defineMigration({ transaction: false, up(m) { m.addColumn('users', 'bio', { type: 'text' }); m.sql(sql\`SELECT 1/0\`) } });`,
    );
    const { runner: r } = runner();
    await expect(r.up()).rejects.toThrow(
      /002_loose \(up, no transaction\) failed at "sql SELECT 1\/0": division by zero\. These already ran and stay: add column users\.bio\. The migration is not recorded\./,
    );
    expect((await catalog(database.url())).tables.users?.columns).toContain('bio text');
    expect((await history()).map((row) => row.name)).toEqual(['001_create_users']);
  });

  it('named exports (up, down, transaction) work like a default export', async () => {
    folder.write('001_create_users', CREATE_USERS);
    folder.write(
      '002_named',
      `export const transaction = false;
       export function up(m) { m.addIndex('users', ['name'], { concurrently: true }) }
       export function down(m) { m.dropIndex('users_name_idx', { concurrently: true }) }`,
    );
    const { runner: r } = runner();
    await r.up();
    expect((await catalog(database.url())).tables.users?.indexes).toContain('CREATE INDEX users_name_idx ON public.users USING btree (name)');
    await r.down();
    expect((await catalog(database.url())).tables.users?.indexes).toEqual(['CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)']);
  });

  it('status says MISSING for an applied migration whose file is gone, and down refuses to roll it back', async () => {
    const path = folder.write('001_create_users', CREATE_USERS);
    await runner().runner.up();
    rmSync(path);
    const { runner: r } = runner();
    expect((await r.status()).map((s) => [s.name, s.state])).toEqual([['001_create_users', 'missing']]);
    await expect(r.down()).rejects.toThrow(/001_create_users is applied but its file is missing/);
    expect((await history()).map((row) => row.name)).toEqual(['001_create_users']);
  });

  it('a migration that records nothing is refused, not a silent no-op', async () => {
    folder.write('001_empty', `export default defineMigration({ up(m) {} });`);
    await expect(runner().runner.up()).rejects.toThrow(/001_empty: up\(m\) records no operation/);
  });
});
