import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode, useTestDatabase } from '@pewit/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { buildModule } from './docs-samples/build-module.js';
import { extractSamples } from './docs-samples/extract-samples.js';
import { toMarkdownLocations } from './docs-samples/map-locations.js';
import { type BuiltPage, makeRunFolder } from './docs-samples/page-files.js';
import { writeAndTypecheck } from './docs-samples/typecheck.js';

// The machinery of docs-samples.test.ts, on made-up pages: how samples become a module and how failures point
// back at the markdown.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fence = '```';

function page(markdown: string): BuiltPage {
  return { ...buildModule(extractSamples('docs/fake.md', markdown)), slug: 'docs-fake' };
}

describe('extractSamples', () => {
  it('takes ts fences with their flags and the hidden comments, and skips other languages', () => {
    const markdown = [
      '# Fake', // 1
      '<!-- docs-prelude', // 2
      'const a = 1;', // 3
      '-->', // 4
      `${fence}sh`, // 5
      'npm test', // 6
      fence, // 7
      `${fence}ts setup`, // 8
      'const b = a;', // 9
      fence, // 10
      '- a list item:', // 11
      '', // 12
      `  ${fence}ts`, // 13
      '  console.log(b);', // 14
      `  ${fence}`, // 15
      '<!-- docs-setup', // 16
      'const c = b;', // 17
      '-->', // 18
    ].join('\n');
    expect(extractSamples('docs/fake.md', markdown).samples).toEqual([
      { kind: 'prelude', code: 'const a = 1;', line: 3 },
      { kind: 'setup', code: 'const b = a;', line: 9 },
      { kind: 'plain', code: 'console.log(b);', line: 14 },
      { kind: 'hidden-setup', code: 'const c = b;', line: 17 },
    ]);
  });

  it('refuses an unknown word after ts, a second prelude, and typecheck-only without a reason', () => {
    expect(() => extractSamples('docs/fake.md', `${fence}ts setpu\nx\n${fence}`)).toThrow('docs/fake.md:1: unknown word(s) after ```ts: setpu');
    expect(() => extractSamples('docs/fake.md', '<!-- docs-prelude\n-->\n<!-- docs-prelude\n-->')).toThrow('docs/fake.md:3: a page holds at most one');
    expect(() => extractSamples('docs/fake.md', `text\n\n${fence}ts typecheck-only\nx\n${fence}`)).toThrow('needs its reason in an HTML comment');
    expect(extractSamples('docs/fake.md', `<!-- listens forever -->\n${fence}ts typecheck-only\nx\n${fence}`).samples).toHaveLength(1);
  });
});

describe('buildModule', () => {
  it('hoists and merges imports, scopes plain samples and closes a top-level db', () => {
    const built = page(
      [
        '<!-- docs-prelude',
        "import { PostgresqlDatabase } from '@pewit/pg-backend';",
        "import type { Database } from '@pewit/core';",
        'const db: Database = new PostgresqlDatabase(process.env.DATABASE_URL!);',
        '-->',
        `${fence}ts`,
        "import { sql, type Database } from '@pewit/core';",
        'const q = sql`SELECT 1`;',
        fence,
        `${fence}ts`,
        "import { fn } from '@pewit/core';",
        'const q = fn.now();',
        fence,
      ].join('\n'),
    );
    expect(built.source).toBe(
      [
        'import {',
        '  PostgresqlDatabase,',
        "} from '@pewit/pg-backend';",
        'import {',
        '  type Database,',
        '  sql,',
        '  fn,',
        "} from '@pewit/core';",
        '',
        '',
        'const db: Database = new PostgresqlDatabase(process.env.DATABASE_URL!);',
        '{',
        '',
        'const q = sql`SELECT 1`;',
        '}',
        '{',
        '',
        'const q = fn.now();',
        '}',
        'if (!db.isClosed) await db.close();',
        '',
      ].join('\n'),
    );
    // Each specifier keeps the line of the sample that imported it.
    expect(built.origins.slice(0, 8)).toEqual([2, 2, 2, 3, 3, 7, 11, 3]);
  });

  it('wraps a query statement followed by a SQL comment in an assertion, and checks awaited statements against what db sent', () => {
    const built = page(
      [
        `${fence}ts`,
        'User.select(User.id)',
        '  .limit(10);',
        '// SELECT "users"."id" FROM "users" LIMIT $1     values: [10]',
        "q.sql(); // { text: 'SELECT 1', values: [] }",
        'await User.select();',
        '// SELECT "users"."id" FROM "users"',
        'const n = await User.select().count(); // 2',
        'const [u, created] = await User.getOrCreate({}); // created: false',
        'tweet.user; // cached: no query',
        fence,
      ].join('\n'),
    );
    expect(built.sqlChecks).toBe(5);
    expect(built.source).toContain(
      '__expectSql(User.select(User.id)\n  .limit(10), "SELECT \\"users\\".\\"id\\" FROM \\"users\\" LIMIT $1     values: [10]", "docs/fake.md:4");',
    );
    expect(built.source).toContain('__expectSql(q.sql(), "{ text: \'SELECT 1\', values: [] }", "docs/fake.md:5");');
    expect(built.source).toContain(
      '\nawait __expectSent(db, async () => (await User.select()), "SELECT \\"users\\".\\"id\\" FROM \\"users\\"", "docs/fake.md:7");\n',
    );
    expect(built.source).toContain('const n = await User.select().count(); __expectValue(n, "2", "docs/fake.md:8"); // 2');
    expect(built.source).toContain('__expectValue(created, "false", "docs/fake.md:9");');
    expect(built.source).toContain('\ntweet.user; // cached: no query\n');
  });

  it('refuses a SQL comment it cannot check instead of skipping it', () => {
    expect(() => page([`${fence}ts`, 'for (const x of xs) f(x); // SELECT 1', fence].join('\n'))).toThrow(
      'docs/fake.md:2: a SQL comment follows a statement the docs runner cannot check (other)',
    );
  });
});

describe('checked comments fail the page when the code does something else', () => {
  const folder = makeRunFolder(join(repoRoot, 'tests', '.docs-samples'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const database = useTestDatabase();

  it('a wrong result, a wrong awaited SQL and a wrong order each name their markdown line; right ones pass', async () => {
    const built = page(
      [
        '<!-- docs-prelude', // 1
        "import { PostgresqlDatabase } from '@pewit/pg-backend';", // 2
        "import { sql } from '@pewit/core';", // 3
        'const db = new PostgresqlDatabase(process.env.DATABASE_URL!);', // 4
        '-->', // 5
        `${fence}ts`, // 6
        'const one = (await db.execute(sql`SELECT 1 AS n`)).rows; // [{ n: 1 }]', // 7
        'const two = (await db.execute(sql`SELECT 2 AS n`)).rows; // [{ n: 3 }]', // 8
        "'abc…xyz'.length; // 7", // 9
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the sample's own template literal, not ours
        "await db.execute(sql`SELECT ${'a'}::text AS t`); // SELECT $1::text AS t  values: ['a']", // 10
        'await db.execute(sql`SELECT 4`); // SELECT 5', // 11
        'await db.atomic(() => db.execute(sql`SELECT 6`));', // 12
        '// BEGIN', // 13
        '// SELECT 6', // 14
        '// COMMIT', // 15
        'await db.atomic(() => db.execute(sql`SELECT 7`)); // COMMIT; SELECT 7', // 16
        "JSON.stringify({ id: 1, name: 'x' }); // { id: 1, … }", // 17
        'void one; void two;', // 18
        fence, // 19
      ].join('\n'),
    );
    const diagnostics = writeAndTypecheck(folder, repoRoot, [built]);
    expect(diagnostics.get('docs-fake')).toBeUndefined();
    const run = await runNode(['--enable-source-maps', join(folder, 'out', 'docs-fake.js')], { env: { DATABASE_URL: database.url() } });
    expect(run.code).toBe(1);
    const failed = [...run.stderr.matchAll(/^docs\/fake\.md:(\d+): /gm)].map((m) => Number(m[1]));
    expect(failed).toEqual([8, 11, 16]);
    expect(run.stderr).toContain('doc:    [{ n: 3 }]');
    expect(run.stderr).toContain('no match for SELECT 5');
  }, 60_000);
});

describe('failures point at the markdown', () => {
  const folder = makeRunFolder(join(repoRoot, 'tests', '.docs-samples'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('reports type errors and run-time errors with the page and the line of the sample', async () => {
    const built = page(
      [
        '# Fake', // 1
        '', // 2
        `${fence}ts`, // 3
        'const n: number = 1;', // 4
        "if (n > 0) throw new Error('boom ' + n);", // 5
        fence, // 6
        '', // 7
        `${fence}ts`, // 8
        "const s: string = 'x';", // 9
        's.push(1);', // 10
        fence, // 11
      ].join('\n'),
    );
    const diagnostics = writeAndTypecheck(folder, repoRoot, [built]);
    expect(toMarkdownLocations(diagnostics.get('docs-fake') ?? '', built)).toMatch(
      /^docs\/fake\.md:10: error TS2339: Property 'push' does not exist on type 'string'\./,
    );
    const run = await runNode(['--enable-source-maps', join(folder, 'out', 'docs-fake.js')]);
    expect(run.code).toBe(1);
    expect(toMarkdownLocations(run.stderr, built)).toMatch(/Error: boom 1\n\s+at .*docs\/fake\.md:5/);
  }, 60_000);
});
