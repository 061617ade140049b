import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** docs/, where the benchmark report lives. */
export const docsFolder = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');

/**
 * The proof comment beside each generated heading (issue #22: every docs section names what proves it). Written by
 * the generator so that a regeneration keeps it; figures have no test, since speed lives in the bench.
 */
export const FIGURES_PROOF = '<!-- proof: none: figures printed by npm run bench (speed lives in bench/, never in timed tests) -->';

/** The comment lines that fence a generated section of docs/benchmarks.md. */
export function sectionMarkers(name: string): { start: string; end: string } {
  return {
    start: `<!-- bench:${name}:start (written by \`npm run bench\`; edits between these markers are overwritten) -->`,
    end: `<!-- bench:${name}:end -->`,
  };
}

/**
 * Replaces section `name` of docs/benchmarks.md (between its markers) with
 * `body`, or appends it when the markers are missing. The text around the
 * markers is hand-written and kept.
 */
export async function writeReportSection(name: string, body: string): Promise<void> {
  const path = join(docsFolder, 'benchmarks.md');
  const { start, end } = sectionMarkers(name);
  const section = `${start}\n${body}\n${end}`;
  const text = await readFile(path, 'utf8');
  const from = text.indexOf(`<!-- bench:${name}:start`);
  const to = text.indexOf(end);
  const next = from >= 0 && to > from ? text.slice(0, from) + section + text.slice(to + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  await writeFile(path, next);
}
