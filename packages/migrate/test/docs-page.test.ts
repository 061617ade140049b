// docs/migrations.md shows real runs of `pewit migrate`: up, down, status and redo of two migrations, an edited
// file refused, and an application walked from `createTables` to its first generated migration and back. This test
// runs the page's own blocks: its config, migration and models files are written as shown, each `$ pewit …` command
// of its ```text blocks is run with the built CLI, and what it prints must be what the page shows (only the URL,
// timestamps, checksums and durations differ from run to run). The generated file must be the page's too.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z {2}\d+ ms/g, '<applied at>  … ms')
    .replace(/'[0-9a-f]{12}…'/g, "'<checksum>…'")
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
    // A line `error: …` on the page is the command's stderr, and it exits 1.
    const failing = shown.some((line) => line.startsWith('error: '));
    expect(run.code, `${command}: ${run.stderr}`).toBe(failing ? 1 : 0);
    if (!failing) expect(run.stderr, command).toBe('');
    const printed = `${run.stdout}${run.stderr}`;
    // A last line `…` on the page: the page shows the beginning of the output.
    if (shown.at(-1) === '…') expect(normal(printed), command).toMatch(new RegExp(`^${escapeRegExp(normal(shown.slice(0, -1).join('\n')))}\n`));
    else expect(normal(printed.trimEnd()), command).toBe(normal(shown.join('\n')));
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

it('docs/migrations.md: status, up --dry-run, up, down, redo of two migrations, and an edited file refused, as the page shows them', async () => {
  const start = blocksBetween('## A migration file', '## Operations');
  const createUsers = start.find((b) => b.lang === 'js')?.text ?? '';
  const typed = start.find((b) => b.lang === 'ts')?.text ?? '';
  const running = blocksBetween('## Running migrations', '### The history table');
  const config = running.find((b) => b.lang === 'js')?.text ?? '';
  const [transcript] = running.filter((b) => b.lang === 'text' && b.text.startsWith('$ '));
  const [edited] = blocksBetween('### Edited files are refused', '### Two deploys at once').filter((b) => b.lang === 'text');
  // The second migration: the TypeScript sample's two columns, in a .js file.
  const columns = typed.split('\n').filter((line) => line.trim().startsWith('m.addColumn('));
  expect([createUsers, config].every((t) => t !== '') && columns.length === 2 && transcript && edited).toBeTruthy();
  writeFileSync(join(folder.dir, 'pewit.config.js'), config);
  mkdirSync(join(folder.dir, 'migrations'));
  writeFileSync(join(folder.dir, 'migrations', '20261203130000_create_users.js'), createUsers);
  const userBio = join(folder.dir, 'migrations', '20261203140000_user_bio.js');
  writeFileSync(
    userBio,
    `import { sql } from '@pewit/core';\nimport { defineMigration } from '@pewit/migrate';\n\nexport default defineMigration({\n  up(m) {\n${columns.join('\n')}\n  },\n});\n`,
  );
  await runTranscript(transcript?.text ?? '');
  // The page's edited-file run starts with both applied, then the second file changes.
  expect((await pewit(['migrate', 'up'], '')).code).toBe(0);
  writeFileSync(userBio, `${readFileSync(userBio, 'utf8')}// edited\n`);
  await runTranscript(edited?.text ?? '');
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
