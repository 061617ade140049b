// docs/migrations.md walks an application from `createTables` to its first generated migration and back. This test
// runs the page's own blocks: its config and models files are written as shown, each `$ pewit …` command of its
// ```text blocks is run with the built CLI, and what it prints must be what the page shows (only the URL, the
// timestamp of the file name and durations differ from run to run). The generated file must be the page's too.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminQuery, useTestDatabase } from '@pewit/test-support';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { migrationFolder } from './migration-folder.js';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/cli/main.js');
const page = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../../docs/migrations.md'), 'utf8');
const database = useTestDatabase();
let folder: ReturnType<typeof migrationFolder>;

beforeEach(async () => {
  await adminQuery(database.url(), 'DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  folder = migrationFolder();
});
afterEach(() => folder.remove());

/** The fenced blocks of the page between two headings, in order. */
function blocksBetween(from: string, to: string): { lang: string; text: string }[] {
  const start = page.indexOf(from);
  const end = page.indexOf(to, start);
  if (start < 0 || end < 0) throw new Error(`docs/migrations.md has no "${from}" … "${to}"`);
  return [...page.slice(start, end).matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1] ?? '', text: m[2] ?? '' }));
}

/** What varies between runs: the URL, the file's timestamp, durations. */
const normal = (text: string) =>
  text
    .replace(/postgres:\/\/\S+/g, '<url>')
    .replace(/\d{14}_/g, '<stamp>_')
    .replace(/done \d+ ms/g, 'done … ms');

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Runs `pewit …` in the folder; stdin gets `input` and is then closed. */
function pewit(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: folder.dir,
      env: { ...process.env, NO_COLOR: '1', DATABASE_URL: database.url() },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

/** Runs each `$ pewit …` of a ```text block and requires the page's output; a `[y/N] y` on the page is answered y. */
async function runTranscript(text: string): Promise<void> {
  const parts = text.split(/^\$ /m).filter((p) => p.trim() !== '');
  expect(parts.length).toBeGreaterThan(0);
  for (const part of parts) {
    const [command = '', ...shown] = part.trimEnd().split('\n');
    const args = command.split(' ').slice(1);
    const run = await pewit(args, /\[y\/N\] y$/m.test(part) ? 'y\n' : '');
    expect(run.stderr, command).toBe('');
    expect(run.code, command).toBe(0);
    // A last line `…` on the page: the page shows the beginning of the output.
    if (shown.at(-1) === '…') expect(normal(run.stdout), command).toMatch(new RegExp(`^${escapeRegExp(normal(shown.slice(0, -1).join('\n')))}\n`));
    else expect(normal(run.stdout.trimEnd()), command).toBe(normal(shown.join('\n')));
  }
}

it('docs/migrations.md: from createTables to the first generated migration and back, as the page shows it', async () => {
  const [config] = blocksBetween('## Generating migrations from your models', '### From `createTables`').filter((b) => b.lang === 'js');
  const blocks = blocksBetween('### From `createTables`', '### Renames are never guessed');
  const js = blocks.filter((b) => b.lang === 'js');
  const text = blocks.filter((b) => b.lang === 'text' && b.text.startsWith('$ '));
  const [models, changed, generated] = js;
  expect([config, models, changed, generated].every(Boolean) && text.length === 3).toBe(true);
  writeFileSync(join(folder.dir, 'pewit.config.js'), config?.text ?? '');
  writeFileSync(join(folder.dir, 'models.js'), models?.text ?? '');

  // The application started with createTables, and has a user.
  await createTablesFromFile();
  await adminQuery(database.url(), "INSERT INTO users (username, fullname, age) VALUES ('ada', 'Ada Lovelace', 36)");

  await runTranscript(text[0]?.text ?? ''); // make first: nothing to make
  writeFileSync(join(folder.dir, 'models.js'), changed?.text ?? '');
  await runTranscript(text[1]?.text ?? ''); // make user_profile, answered y
  const [file = ''] = readdirSync(join(folder.dir, 'migrations'));
  expect(normal(`// migrations/${file}\n${readFileSync(join(folder.dir, 'migrations', file), 'utf8')}`)).toBe(normal(generated?.text ?? ''));
  await runTranscript(text[2]?.text ?? ''); // up, make anything_left, down
  expect((await adminQuery(database.url(), 'SELECT fullname, age FROM users')).rows).toEqual([{ fullname: 'Ada Lovelace', age: null }]);

  // The same change with stdin closed, in a dry run (the "Renames are never guessed" section).
  const [dryRun] = blocksBetween('### Renames are never guessed', '### What each change becomes').filter((b) => b.lang === 'text' && b.text.startsWith('$ '));
  expect(dryRun).toBeDefined();
  await runTranscript(dryRun?.text ?? '');
}, 120_000);

/** `await db.createTables(models)` of the folder's models.js, in a child process as the application would run it. */
async function createTablesFromFile(): Promise<void> {
  writeFileSync(
    join(folder.dir, 'create-tables.mjs'),
    "import { PostgresqlDatabase } from '@pewit/pg-backend';\nimport { models } from './models.js';\nconst db = new PostgresqlDatabase(process.env.DATABASE_URL);\nawait db.createTables(models);\nawait db.close();\n",
  );
  const run = await new Promise<number | null>((done) => {
    const child = spawn(process.execPath, ['create-tables.mjs'], { cwd: folder.dir, env: { ...process.env, DATABASE_URL: database.url() }, stdio: 'inherit' });
    child.on('close', done);
  });
  expect(run).toBe(0);
}
