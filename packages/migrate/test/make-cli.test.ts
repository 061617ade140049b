// `pewit migrate make` through the built CLI in child processes: the rename question answered on the process's real
// stdin, decided with --rename, or left unanswered (stdin is /dev/null); bad input; make after up.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminQuery, runNode, useTestDatabase } from '@pewit/test-support';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrationFolder } from './migration-folder.js';

/** The built CLI, as `npx pewit` runs it (build first: npm run build). */
const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/cli/main.js');
const database = useTestDatabase();
let folder: ReturnType<typeof migrationFolder>;

const MODELS = `import { AutoField, IntegerField, model, TextField } from '@pewit/core';
export class User extends model('users', { id: AutoField(), fullName: TextField({ columnName: 'full_name' }), age: IntegerField({ null: true }) }) {}
`;

beforeEach(async () => {
  await adminQuery(
    database.url(),
    `DROP SCHEMA public CASCADE; CREATE SCHEMA public;
     CREATE TABLE users (id serial PRIMARY KEY, fullname text NOT NULL, age integer);
     INSERT INTO users (fullname, age) VALUES ('Ada Lovelace', 36);`,
  );
  folder = migrationFolder();
  writeFileSync(join(folder.dir, 'models.mjs'), MODELS);
});
afterEach(() => folder.remove());

const FLAGS = () => ['--url', database.url(), '--migrations', 'db', '--models', 'models.mjs', '--ext', 'mjs'];
const pewit = (args: string[]) => runNode([CLI, ...args], { cwd: folder.dir, env: { NO_COLOR: '1' }, limitMillis: 60_000 });
const files = () => {
  try {
    return readdirSync(join(folder.dir, 'db'));
  } catch {
    return [];
  }
};
const fileText = () => readFileSync(join(folder.dir, 'db', files()[0] as string), 'utf8');

/** Runs the CLI with a piped stdin; `answer` is called with stdout so far each time it grows, and may write to stdin. */
function pewitInteractive(args: string[], answer: (stdout: string, stdin: NodeJS.WritableStream) => void) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: folder.dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      answer(stdout, child.stdin);
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

describe('pewit migrate make (the built CLI)', () => {
  it('asks about a rename on stdin; "y" renames, up keeps the data, and make after up finds nothing', async () => {
    const question = 'rename users.fullname → users.full_name? [y/N] ';
    let answered = false;
    const run = await pewitInteractive(['migrate', 'make', 'rename_fullname', ...FLAGS()], (stdout, stdin) => {
      if (!answered && stdout.includes(question)) {
        answered = true;
        stdin.write('y\n');
      }
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(answered).toBe(true);
    expect(run.stdout).toMatch(/rename users\.fullname → users\.full_name\? \[y\/N\] y\n {2}· rename column users\.fullname → full_name\n/);
    expect(run.stdout).toMatch(/created db\/\d{14}_rename_fullname\.mjs \(1 step; read it, then: pewit migrate up\)\n$/);
    expect(fileText()).toContain("m.renameColumn('users', 'fullname', 'full_name');");
    const up = await pewit(['migrate', 'up', '--url', database.url(), '--migrations', 'db']);
    expect(up.code).toBe(0);
    expect((await adminQuery(database.url(), 'SELECT full_name FROM users')).rows).toEqual([{ full_name: 'Ada Lovelace' }]);
    const again = await pewit(['migrate', 'make', 'again', ...FLAGS()]);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/nothing to make: the database matches the models\n$/);
    expect(files()).toHaveLength(1);
  });

  it('asks on a terminal too: "y" typed on a pseudo-terminal (script(1)) renames', async () => {
    const command = [process.execPath, CLI, 'migrate', 'make', 'on_a_tty', ...FLAGS()].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
    let answered = false;
    const run = await new Promise<{ code: number | null; stdout: string }>((done, fail) => {
      const child = spawn('script', ['-qfec', command, '/dev/null'], {
        cwd: folder.dir,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (!answered && stdout.includes('[y/N] ')) {
          answered = true;
          child.stdin.write('y\r');
        }
      });
      child.on('error', fail);
      child.on('close', (code) => {
        clearTimeout(timer);
        done({ code, stdout });
      });
    });
    expect(answered).toBe(true);
    expect(run.code, run.stdout).toBe(0);
    // The terminal echoed the typed y; pewit did not write it a second time.
    expect(run.stdout).toMatch(/rename users\.fullname → users\.full_name\? \[y\/N\] y\r\n {2}· rename column users\.fullname → full_name\r\n/);
    expect(fileText()).toContain("m.renameColumn('users', 'fullname', 'full_name');");
  });

  it('"n" on stdin, or no answer (stdin is /dev/null): drop + add, DESTRUCTIVE in the file and the output', async () => {
    const no = await pewitInteractive(['migrate', 'make', 'no_rename', ...FLAGS(), '--dry-run'], (stdout, stdin) => {
      if (stdout.endsWith('[y/N] ')) stdin.write('n\n');
    });
    expect(no.code).toBe(0);
    expect(no.stdout).toContain('! DESTRUCTIVE: the values of users.fullname are deleted; users.fullname was not confirmed as renamed to users.full_name');
    expect(files()).toEqual([]);
    const run = await pewit(['migrate', 'make', 'no_answer', ...FLAGS()]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('rename users.fullname → users.full_name? [y/N] (no answer: no)\n');
    expect(run.stdout).toContain(
      '  · drop column users.fullname\n' +
        '    ! DESTRUCTIVE: the values of users.fullname are deleted; users.fullname was not confirmed as renamed to users.full_name, so it is a drop and an add: if it was renamed, delete this file and run make again with --rename users.fullname:users.full_name\n' +
        '    ! down: the down adds users.fullname back, empty: its data cannot be restored\n' +
        '  · add column users.full_name text\n',
    );
    const text = fileText();
    expect(text).toContain('    // DESTRUCTIVE: the values of users.fullname are deleted; users.fullname was not confirmed as renamed to users.full_name');
    expect(text).toContain("m.dropColumn('users', 'fullname', { was: { type: 'text', notNull: true } });");
    expect(text).toContain('// CANNOT RESTORE: the down adds users.fullname back, empty: its data cannot be restored');
  });

  it('--rename decides without asking; the models can come from pewit.config.mjs', async () => {
    writeFileSync(join(folder.dir, 'pewit.config.mjs'), `export default { url: ${JSON.stringify(database.url())}, migrations: 'db', models: 'models.mjs' };`);
    const run = await pewit(['migrate', 'make', 'renamed', '--rename', 'users.fullname:users.full_name']);
    expect(run.stderr).toBe('');
    expect(run.stdout).not.toContain('[y/N]');
    expect(run.stdout).toContain('· models models.mjs');
    expect(run.stdout).toContain('  · rename column users.fullname → full_name\n');
    expect(files()).toEqual([expect.stringMatching(/^\d{14}_renamed\.js$/)]);
  });

  it('--models is repeatable; a module exporting an array of models counts', async () => {
    writeFileSync(
      join(folder.dir, 'notes.mjs'),
      "import { AutoField, model, TextField } from '@pewit/core';\nconst Note = model('notes', { id: AutoField(), body: TextField() });\nexport const models = [Note];\n",
    );
    const flags = [
      '--url',
      database.url(),
      '--migrations',
      'db',
      '--models',
      'models.mjs',
      '--models',
      'notes.mjs',
      '--rename',
      'users.fullname:users.full_name',
    ];
    const run = await pewit(['migrate', 'make', 'both', ...flags, '--dry-run']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('· models models.mjs, notes.mjs');
    expect(run.stdout).toContain('  · rename column users.fullname → full_name\n  · create table notes\n');
  });

  it('bad input is a clear error (exit 2) and writes nothing', async () => {
    const malformed = await pewit(['migrate', 'make', 'x', ...FLAGS(), '--rename', 'users.fullname']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toBe(
      'error: --rename users.fullname: write old:new, as table.column:table.column (users.fullname:users.full_name) or old_table:new_table\n',
    );
    const unknown = await pewit(['migrate', 'make', 'x', ...FLAGS(), '--rename', 'users.fullname:users.nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'error: --rename users.fullname:users.nope: not a rename the models allow; the rename candidates are: users.fullname:users.full_name\n',
    );
    const noModels = await pewit(['migrate', 'make', 'x', '--url', database.url(), '--migrations', 'db']);
    expect(noModels.code).toBe(1);
    expect(noModels.stderr).toMatch(/which models\? set models in pewit\.config\.js .* or pass --models <module>/);
    const missing = await pewit(['migrate', 'make', 'x', '--url', database.url(), '--migrations', 'db', '--models', 'nope.mjs']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.mjs: no such module/);
    expect((await pewit(['migrate', 'up', '--rename', 'a:b'])).stderr).toMatch(/--rename belongs to migrate make, not migrate up/);
    expect(files()).toEqual([]);
  });
});
