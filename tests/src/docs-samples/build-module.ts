import type { PageSamples, Sample } from './extract-samples.js';
import { ImportHoister, type Origin } from './hoist-imports.js';
import { instrumentSqlComments } from './sql-comments.js';

/** A page turned into one ESM module. */
export interface PageModule {
  readonly page: string;
  readonly source: string;
  /** `origins[i]` is the markdown line that generated line `i + 1` came from. */
  readonly origins: readonly Origin[];
  /** How many SQL and result comments the module asserts. */
  readonly sqlChecks: number;
}

/** Name of the helper module (copied beside the generated modules) that asserts `.sql()` comments. */
export const SQL_CHECK_MODULE = 'docs-sql-check';

const DECLARES_DB = /^(?:export\s+)?(?:const|let|var)\s+(?:db\b|\{[^}]*\bdb\b[^}]*\})/m;

/**
 * Builds the page's module: hoisted imports, then the prelude, `setup` samples and hidden setups at top level, each plain
 * sample in its own block, `typecheck-only` samples inside a function that is never called, and finally
 * `db.close()` when the page declares a top-level `db`.
 */
export function buildModule({ page, samples }: PageSamples): PageModule {
  const hoister = new ImportHoister(page);
  const body: string[] = [];
  const origins: Origin[] = [];
  const emit = (text: string, origin: Origin) => {
    body.push(text);
    origins.push(origin);
  };
  let declaresDb = false;
  let sqlChecks = 0;
  for (const [index, sample] of samples.entries()) {
    const lines = sample.code.split('\n').map(stripExport);
    hoister.take(lines, sample.line);
    const checked = sample.kind === 'typecheck-only' ? { lines, count: 0 } : instrumentSqlComments(lines, page, sample.line);
    sqlChecks += checked.count;
    if (sample.kind !== 'plain' && sample.kind !== 'typecheck-only') declaresDb ||= DECLARES_DB.test(checked.lines.join('\n'));
    const [open, close] = wrapper(sample, index);
    if (open) emit(open, sample.line);
    for (const [i, line] of checked.lines.entries()) emit(line, sample.line + i);
    if (close) emit(close, sample.line + lines.length - 1);
  }
  if (declaresDb) emit('if (!db.isClosed) await db.close();', undefined);
  const imports = hoister.print();
  const head =
    sqlChecks > 0 ? [`import { expectSent as __expectSent, expectSql as __expectSql, expectValue as __expectValue } from './${SQL_CHECK_MODULE}.js';`] : [];
  return {
    page,
    source: `${[...head, ...imports.lines, ...body].join('\n')}\n`,
    origins: [...head.map(() => undefined), ...imports.origins, ...origins],
    sqlChecks,
  };
}

function wrapper(sample: Sample, index: number): [string | undefined, string | undefined] {
  switch (sample.kind) {
    case 'prelude':
    case 'setup':
    case 'hidden-setup':
      return [undefined, undefined];
    case 'plain':
      return ['{', '}'];
    case 'typecheck-only':
      // Type-checked like the rest, never run.
      return [`const __typecheckOnly${index} = async () => {`, `}; void __typecheckOnly${index};`];
  }
}

/** `export` is meaningless in a generated module and a syntax error inside a block; samples may show it for context. */
function stripExport(line: string): string {
  return line.replace(/^export\s+(?=(?:const|let|var|class|function|async|interface|type|enum)\b)/, '');
}
