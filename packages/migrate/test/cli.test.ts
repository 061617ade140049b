import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminQuery, runNode, useTestDatabase } from '@pewit/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrationFolder } from './migration-folder.js';

/** The built CLI, as `npx pewit` runs it (build first: npm run build). */
const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/cli/main.js');
const database = useTestDatabase();
let folder: ReturnType<typeof migrationFolder>;

beforeEach(async () => {
  await adminQuery(database.url(), 'DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  folder = migrationFolder();
});
afterEach(() => folder.remove());

const pewit = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  runNode([CLI, ...args], { cwd: folder.dir, env: { NO_COLOR: '1', ...env }, limitMillis: 60_000 });
/** The test database's URL, always with a password to hide (a server with trust auth, as in CI, ignores it). */
const urlWithPassword = () => {
  const url = new URL(database.url());
  if (url.password === '') url.password = 'never-printed';
  return url.toString();
};
const migrate = (...args: string[]) => pewit(['migrate', ...args, '--url', urlWithPassword(), '--migrations', '.']);
const historyNames = async () => (await adminQuery(database.url(), 'SELECT name FROM pewit_migrations ORDER BY name')).rows.map((r) => r.name);

const CREATE_USERS = `export default defineMigration({
  up(m) {
    m.createTable('users', { id: { type: 'bigint', primaryKey: true, identity: 'by default' }, name: { type: 'text', notNull: true } });
  },
});`;

describe('pewit migrate (the built CLI in child processes)', () => {
  it('two concurrent `migrate up` processes: one applies, the other waits on the lock, the history records it once', async () => {
    // The migration holds the lock long enough for the second process to arrive while it runs.
    folder.write(
      '001_slow',
      `export default defineMigration({ up(m) { m.createTable('t', { id: { type: 'integer' } }); m.sql(sql\`SELECT pg_sleep(2)\`) } });`,
    );
    const runs = [migrate('up'), migrate('up')];
    let sawWaiter = false;
    const watch = (async () => {
      for (let i = 0; i < 100 && !sawWaiter; i++) {
        const { rows } = await adminQuery(
          database.url(),
          "SELECT count(*) FILTER (WHERE granted) AS held, count(*) FILTER (WHERE NOT granted) AS waiting FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        );
        if (rows[0].held === '1' && rows[0].waiting === '1') sawWaiter = true;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const [a, b] = await Promise.all(runs);
    await watch;
    expect(sawWaiter).toBe(true);
    expect([a?.code, b?.code]).toEqual([0, 0]);
    const outputs = [a?.stdout ?? '', b?.stdout ?? ''];
    expect(outputs.filter((o) => o.includes('▲ applying 001_slow'))).toHaveLength(1);
    const waiter = outputs.find((o) => !o.includes('▲ applying')) ?? '';
    expect(waiter).toContain('waiting: another pewit migrate holds the migration lock…');
    expect(waiter).toContain('nothing to migrate: every migration is applied');
    expect(await historyNames()).toEqual(['001_slow']);
  }, 60_000);

  it('up, status, down and redo print progress; the URL is printed without its password', async () => {
    folder.write('001_create_users', CREATE_USERS);
    folder.write('002_add_bio', `export default defineMigration({ up(m) { m.addColumn('users', 'bio', { type: 'text' }) } });`);
    const up = await migrate('up');
    expect(up.stderr).toBe('');
    expect(up.code).toBe(0);
    const password = new URL(urlWithPassword()).password;
    expect(password).not.toBe('');
    expect(up.stdout).not.toContain(`:${password}@`);
    expect(up.stdout).toMatch(/^database postgres:\/\/\w+:\*\*\*@[^ ]+ · migrations \.\n/);
    expect(up.stdout).toMatch(
      /▲ applying 001_create_users\n {2}· create table users\n {2}done \d+ ms\n▲ applying 002_add_bio\n {2}· add column users\.bio\n {2}done \d+ ms\n2 migration\(s\) applied\n$/,
    );
    const status = await migrate('status');
    expect(status.stdout).toMatch(/applied {2}001_create_users {2}\d{4}-\d\d-\d\dT[\d:.]+Z {2}\d+ ms\napplied {2}002_add_bio .*\n2 applied, 0 pending\n$/);
    const down = await migrate('down', '--steps', '1');
    expect(down.stdout).toContain(
      '▼ rolling back 002_add_bio (derived down)\n  ! destructive: drop column users.bio: the values of users.bio are deleted; a down adds the column back empty\n',
    );
    expect(await historyNames()).toEqual(['001_create_users']);
    expect((await migrate('status')).stdout).toMatch(/pending {2}002_add_bio\n1 applied, 1 pending\n$/);
    await migrate('up');
    const redo = await migrate('redo');
    expect(redo.code).toBe(0);
    expect(redo.stdout).toMatch(/▼ rolling back 002_add_bio[^\n]*\n[\s\S]*▲ applying 002_add_bio\n[\s\S]*1 migration\(s\) redone\n$/);
    expect(await historyNames()).toEqual(['001_create_users', '002_add_bio']);
  });

  it('--dry-run prints the SQL and changes nothing', async () => {
    folder.write('001_create_users', CREATE_USERS);
    const run = await migrate('up', '--dry-run');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('CREATE TABLE "users" ("id" bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "name" text NOT NULL);');
    const { rows } = await adminQuery(
      database.url(),
      "SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'",
    );
    expect(rows[0].n).toBe(0);
  });

  it('an edited migration is refused (exit 1) unless --force; a failing one exits 1 and stays unrecorded', async () => {
    const path = folder.write('001_create_users', CREATE_USERS);
    await migrate('up');
    writeFileSync(path, `${readFileSync(path, 'utf8')}// edited\n`);
    const refused = await migrate('up');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: 001_create_users: the file changed after it was applied \(checksum mismatch\)/);
    const changed = (await migrate('status')).stdout;
    expect(changed).toContain('CHANGED  001_create_users');
    expect(changed).toMatch(/\n1 applied, 0 pending, 1 changed since applied \(refused unless --force\)\n$/);
    for (const command of ['down', 'redo']) {
      const run = await migrate(command);
      expect(run.code, command).toBe(1);
      expect(run.stderr).toMatch(/checksum mismatch/);
    }
    expect((await migrate('up', '--force')).code).toBe(0);
    folder.write('002_broken', `export default defineMigration({ up(m) { m.addColumn('users', 'x', { type: 'text' }); m.sql(sql\`SELECT 1/0\`) } });`);
    const failed = await migrate('up');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/002_broken \(up\) failed and was rolled back whole, nothing of it stays: \w+: division by zero/);
    expect(await historyNames()).toEqual(['001_create_users']);
  });

  it('settings: flags before the config file before DATABASE_URL; config paths relative to its folder; `migrations/` by default', async () => {
    const wrong = 'postgres://nobody:wrong-secret@127.0.0.1:1/none';
    // No flag, no config: the folder is migrations/ and the URL DATABASE_URL.
    mkdirSync(join(folder.dir, 'migrations'));
    const source = readFileSync(folder.write('source', CREATE_USERS), 'utf8');
    writeFileSync(join(folder.dir, 'migrations', '001_create_users.mjs'), source);
    const byDefault = await pewit(['migrate', 'status'], { DATABASE_URL: database.url() });
    expect(byDefault.stdout).toContain('· migrations migrations\n');
    expect(byDefault.stdout).toContain('pending  001_create_users\n');
    // A config elsewhere (--config): its paths are relative to its own folder; its url wins over DATABASE_URL.
    mkdirSync(join(folder.dir, 'deploy', 'db'), { recursive: true });
    writeFileSync(join(folder.dir, 'deploy', 'db', '001_other.mjs'), source);
    writeFileSync(join(folder.dir, 'deploy', 'pewit.config.mjs'), `export default { url: ${JSON.stringify(database.url())}, migrations: 'db' };`);
    const viaConfig = await pewit(['migrate', 'status', '--config', 'deploy/pewit.config.mjs'], { DATABASE_URL: wrong });
    expect(viaConfig.code, viaConfig.stderr).toBe(0);
    expect(viaConfig.stdout).toContain('pending  001_other\n');
    // A flag wins over the config.
    writeFileSync(join(folder.dir, 'deploy', 'pewit.config.mjs'), `export default { url: ${JSON.stringify(wrong)}, migrations: 'db' };`);
    const viaFlag = await pewit(['migrate', 'status', '--config', 'deploy/pewit.config.mjs', '--url', database.url()]);
    expect(viaFlag.code, viaFlag.stderr).toBe(0);
    expect(viaFlag.stdout).toContain('pending  001_other\n');
  });

  it('a database it cannot reach: exit 1, the error without the password; an unknown command: exit 2', async () => {
    folder.write('001_create_users', CREATE_USERS);
    const unreachable = await pewit(['migrate', 'up', '--url', 'postgres://app:hunter2-secret@127.0.0.1:1/app', '--migrations', '.']);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^error: /);
    expect(`${unreachable.stdout}${unreachable.stderr}`).not.toContain('hunter2-secret');
    expect(unreachable.stdout).toContain('postgres://app:***@127.0.0.1:1/app');
    expect((await pewit(['migrate', 'sideways'])).code).toBe(2);
  });

  it('a .ts migration file on a Node that cannot load it says which Node does', async () => {
    writeFileSync(join(folder.dir, '001_typed.ts'), "export function up(m: { sql: (s: unknown) => void }) { m.sql('x'); }\\n");
    const run = await migrate('up');
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    if (major > 23 || (major === 23 && minor >= 6)) expect(run.stderr).not.toMatch(/cannot load TypeScript/);
    else {
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /001_typed\.ts: this Node \(v[\d.]+\) cannot load TypeScript; use Node 22\.6\+ with --experimental-strip-types \(23\.6\+ needs no flag\), or compile the file to \.js/,
      );
    }
  });

  it('the migration lock is a session lock: a process killed mid-run leaves no lock behind, the next up applies', async () => {
    // Killed while its server session sleeps: the session ends when the sleep does and it finds its client gone.
    folder.write(
      '001_slow',
      `export default defineMigration({ up(m) { m.createTable('t', { id: { type: 'integer' } }); m.sql(sql\`SELECT pg_sleep(4)\`) } });`,
    );
    const child = spawn(process.execPath, [CLI, 'migrate', 'up', '--url', database.url(), '--migrations', '.'], { cwd: folder.dir, stdio: 'ignore' });
    const exited = new Promise((done) => child.on('close', done));
    const held = async () =>
      (
        await adminQuery(
          database.url(),
          "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
      ).rows[0]?.n as number;
    for (let i = 0; i < 800 && (await held()) === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await held()).toBe(1);
    child.kill('SIGKILL');
    await exited;
    const next = await migrate('up');
    expect(next.code, next.stderr).toBe(0);
    expect(next.stdout).toContain('▲ applying 001_slow');
    expect(await historyNames()).toEqual(['001_slow']);
  }, 60_000);

  it('create writes an empty migration file, which up refuses until it records something', async () => {
    const run = await pewit(['migrate', 'create', 'add_bio', '--migrations', 'db']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^created db\/\d{14}_add_bio\.js\n$/);
    const [file] = readdirSync(join(folder.dir, 'db'));
    expect(readFileSync(join(folder.dir, 'db', file as string), 'utf8')).toContain("import { defineMigration } from '@pewit/migrate';");
    const up = await pewit(['migrate', 'up', '--migrations', 'db'], { DATABASE_URL: database.url() });
    expect(up.code).toBe(1);
    expect(up.stderr).toMatch(/_add_bio: up\(m\) records no operation/);
    expect((await pewit(['migrate', 'create', 'bad name!'])).stderr).toMatch(/a name is letters, digits/);
    // The name starts with the UTC time it was made (yyyymmddhhmmss); --ext picks the extension.
    const before = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const typed = await pewit(['migrate', 'create', 'typed', '--migrations', 'ts', '--ext', 'ts']);
    const after = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    const [stamp = ''] = /\d{14}/.exec(typed.stdout) ?? [];
    expect(typed.stdout).toBe(`created ts/${stamp}_typed.ts\n`);
    expect(stamp >= before && stamp <= after, `${before} <= ${stamp} <= ${after}`).toBe(true);
  });

  it('reads pewit.config.mjs (paths relative to it), and says what is missing', async () => {
    folder.write('001_create_users', CREATE_USERS);
    writeFileSync(join(folder.dir, 'pewit.config.mjs'), `export default { url: ${JSON.stringify(database.url())}, migrations: '.' };`);
    const status = await pewit(['migrate', 'status']);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('· config pewit.config.mjs');
    expect(status.stdout).toContain('pending  001_create_users');
    expect(existsSync(join(folder.dir, 'migrations'))).toBe(false);
    writeFileSync(join(folder.dir, 'pewit.config.mjs'), 'export default {};');
    const noUrl = await pewit(['migrate', 'status'], { DATABASE_URL: '' });
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toMatch(/no database URL: pass --url, set url in pewit.config.js, or set DATABASE_URL/);
    expect((await pewit(['migrate', 'sideways'])).stderr).toMatch(/unknown command; one of up, down, redo, status, create/);
    expect((await pewit(['migrate', 'status', '--steps', '2'])).stderr).toMatch(/--steps belongs to migrate down/);
  });

  it('a TypeScript config on a Node that cannot load it says what is needed', async () => {
    writeFileSync(join(folder.dir, 'pewit.config.ts'), 'export default { migrations: "." } as const;');
    const run = await pewit(['migrate', 'status']);
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    if (major > 23 || (major === 23 && minor >= 6)) expect(run.stderr).not.toMatch(/cannot load TypeScript/);
    else
      expect(run.stderr).toMatch(
        /cannot load TypeScript; use Node 22\.6\+ with --experimental-strip-types \(23\.6\+ needs no flag\), or compile the file to \.js/,
      );
  });
});
