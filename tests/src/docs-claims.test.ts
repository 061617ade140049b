// Issue #22: every claim README.md and docs/*.md make names the test that proves it. Each section (a heading and
// what stands under it) carries `<!-- proof: … -->` comments beside its claims (see docs-claims/proofs.ts for what
// they may say); this test fails on a section with text but no proof, and on a proof naming a file or a test title
// that does not exist. CONTRIBUTING.md's claims table is held to the same rule.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkRef, parseProof } from './docs-claims/proofs.js';
import { sectionsOf } from './docs-claims/sections.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const pages = [
  ...readdirSync(join(repoRoot, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/${f}`),
];

/** Problems of one page: sections without a proof, and proofs that do not resolve. */
export function problemsOf(page: string, markdown: string): string[] {
  const problems: string[] = [];
  for (const section of sectionsOf(markdown)) {
    const where = `${page}:${section.line} "${section.heading}"`;
    if ((section.prose > 0 || section.runsSamples) && section.proofs.length === 0) problems.push(`${where}: no <!-- proof: … --> comment`);
    for (const proof of section.proofs) {
      try {
        for (const ref of parseProof(proof.text)) {
          const problem = checkRef(repoRoot, ref, section);
          if (problem) problems.push(`${page}:${proof.line}: ${problem}`);
        }
      } catch (error) {
        problems.push(`${page}:${proof.line}: ${(error as Error).message}`);
      }
    }
  }
  return problems;
}

describe('every docs claim names its test', () => {
  it.each(pages)('%s', (page) => {
    expect(problemsOf(page, readFileSync(join(repoRoot, page), 'utf8'))).toEqual([]);
  });

  it('CONTRIBUTING.md: every test file and title the claims table names exists', () => {
    const table = readFileSync(join(repoRoot, 'CONTRIBUTING.md'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('| ') && /`(tests|packages|test-support)\//.test(line));
    expect(table.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const row of table) {
      const cell = row.split('|').at(-2) ?? '';
      for (const [, path = '', title] of cell.matchAll(/`((?:tests|packages|test-support)\/[\w./-]+\.ts)`(?:\s*›\s*([^,(`]+))?/g)) {
        const problem = checkRef(repoRoot, title ? { kind: 'test', path, title: title.trim() } : { kind: 'test', path }, { runsSamples: false });
        if (problem) problems.push(`${problem} (row: ${row.slice(0, 80)}…)`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('the checker finds a section without proof, a missing file, a missing title and "samples" without a sample', () => {
    const page = [
      '# Page',
      'Intro. <!-- proof: none: the page intro -->',
      '## Claims',
      'It retries. <!-- proof: tests/src/transactions-retries.test.ts › a deadlock (40P01) is retried -->',
      '## Unproven',
      'It flies.',
      '## Wrong file',
      '<!-- proof: tests/src/no-such.test.ts -->',
      '## Wrong title',
      'x <!-- proof: tests/src/transactions-retries.test.ts › flies to the moon -->',
      '## Samples without a sample',
      'y <!-- proof: samples -->',
      '```sh',
      '## not a heading: inside a fence',
      '```',
    ].join('\n');
    expect(problemsOf('page.md', page)).toEqual([
      'page.md:5 "Unproven": no <!-- proof: … --> comment',
      'page.md:8: tests/src/no-such.test.ts does not exist',
      'page.md:10: tests/src/transactions-retries.test.ts has no test titled "…flies to the moon…"',
      'page.md:12: "samples" in a section with no ```ts sample that runs',
    ]);
  });
});
