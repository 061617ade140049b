import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, runNode } from '@pewit/test-support';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { toMarkdownLocations } from './docs-samples/map-locations.js';
import { buildPages, makeRunFolder } from './docs-samples/page-files.js';
import { writeAndTypecheck } from './docs-samples/typecheck.js';

// Every ```ts sample in README.md and docs/*.md is type-checked and run (issue #11). One page = one ESM module,
// type-checked with the other pages in one TypeScript program (tsconfig.base.json's options, against the built
// packages), then run by node against its own fresh database (process.env.DATABASE_URL):
// - `import` lines of all samples are hoisted to the top and merged;
// - ```ts setup  fences run at top level, so their declarations (models, `db`) are visible to later samples;
// - plain ```ts  fences run in page order, each inside its own `{ … }` block;
// - ```ts typecheck-only  fences are type-checked, never run; each needs its reason in an HTML comment right
//   before or after it (a server that listens forever, a second machine);
// - hidden code a reader does not need: one `<!-- docs-prelude … -->` comment, run first (creating `db`, …), and
//   any number of `<!-- docs-setup … -->` comments, run at top level where they stand (tables and rows for
//   models declared by a setup fence above them);
// - when hidden code or a setup fence declares a top-level `db`, the runner appends `await db.close()` (unless it
//   is closed already); any other connection a page opens, it closes itself: the process must exit by itself;
// - comments that claim something are asserted (see docs-samples/sql-comments.ts): `q.sql(); // { text: '…', values: […] }`;
//   a statement followed by a SQL comment (`// SELECT …`, `values: […]` at the end; several statements one per line
//   or separated by `; `), checked against the query it builds or, when awaited, against what `db` sent meanwhile;
//   a result comment (`// 2`, `// null`, `// created: false`, `// [{ n: 1 }]`) against the value. `…` matches
//   anything, prose may follow ` → `. A SQL comment the runner cannot check fails the page instead of being skipped.
// Failures name the page and the markdown line. Run one page: `-t docs/querying.md`. PEWIT_KEEP_DOCS_SAMPLES=1 keeps
// the generated files in tests/.docs-samples/run-<pid>-<random>/ for a look.
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const pages = buildPages(repoRoot);
let folder: string;
let diagnostics: Map<string, string>;

beforeAll(() => {
  folder = makeRunFolder(join(repoRoot, 'tests', '.docs-samples'));
  diagnostics = writeAndTypecheck(folder, repoRoot, pages);
}, 120_000);

afterAll(() => {
  if (folder && !process.env.PEWIT_KEEP_DOCS_SAMPLES) rmSync(folder, { recursive: true, force: true });
});

describe.concurrent('docs samples type-check and run', () => {
  for (const page of pages) {
    it(page.page, async () => {
      if (page.problem) throw new Error(page.problem);
      const general = diagnostics.get('*');
      if (general) throw new Error(`tsc failed outside the pages:\n${general}`);
      const typeErrors = diagnostics.get(page.slug);
      if (typeErrors) throw new Error(`${page.page}: a sample does not type-check:\n${toMarkdownLocations(typeErrors, page)}`);
      const database = await createTestDatabase();
      try {
        const run = await runNode(['--enable-source-maps', join(folder, 'out', `${page.slug}.js`)], {
          cwd: repoRoot,
          env: { DATABASE_URL: database.url },
          limitMillis: 30_000,
        });
        if (run.code !== 0 || run.signal !== null) {
          const how = run.signal ? `was killed (${run.signal}): it did not exit by itself within 30 s` : `exited with code ${run.code}`;
          const output = toMarkdownLocations(`${run.stderr}\n--- stdout ---\n${run.stdout.slice(-2_000)}`, page);
          throw new Error(`${page.page}: running its samples ${how}:\n${output}`);
        }
      } finally {
        await database.drop();
      }
    }, 45_000);
  }
});
