import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What a proof reference may say:
 * - `samples`: the section's ```ts samples run and their SQL and result comments are asserted
 *   (tests/src/docs-samples.test.ts);
 * - `none: <reason>`: the section describes no behaviour of pewit (how to install, what another ORM does);
 * - `<path>` or `<path> › <title>`: a test file (from the repository root), and optionally the title (or a part of
 *   it) of a `describe` or `it` in that file.
 * Several references are separated by `;`.
 */
export type ProofRef =
  | { readonly kind: 'samples' }
  | { readonly kind: 'none'; readonly reason: string }
  | { readonly kind: 'test'; readonly path: string; readonly title?: string };

/** Parses the text of a `<!-- proof: … -->` comment; throws on a reference it cannot read. */
export function parseProof(text: string): ProofRef[] {
  const trimmed = text.trim();
  if (/^none\b/.test(trimmed)) {
    const reason = trimmed.replace(/^none\s*:?\s*/, '');
    if (reason.length < 5) throw new Error(`"none" needs its reason: <!-- proof: none: what the section is instead -->`);
    return [{ kind: 'none', reason }];
  }
  return trimmed.split(';').map((part) => {
    const ref = part.trim();
    if (ref === 'samples') return { kind: 'samples' } as const;
    const [path = '', ...title] = ref.split('›').map((s) => s.trim());
    if (!/^[\w./@-]+\.(ts|tsx|mjs|js)$/.test(path)) throw new Error(`"${ref}" is not "samples", "none: …" or a test file path`);
    return title.length > 0 ? { kind: 'test', path, title: title.join(' › ') } : { kind: 'test', path };
  });
}

/** The problem with one reference, or undefined when it resolves: the file exists and holds the title. */
export function checkRef(repoRoot: string, ref: ProofRef, section: { readonly runsSamples: boolean }): string | undefined {
  if (ref.kind === 'none') return undefined;
  if (ref.kind === 'samples') return section.runsSamples ? undefined : '"samples" in a section with no ```ts sample that runs';
  const file = join(repoRoot, ref.path);
  if (!existsSync(file)) return `${ref.path} does not exist`;
  if (ref.title === undefined) return undefined;
  const source = readFileSync(file, 'utf8');
  for (const title of ref.title.split(' › ')) {
    if (!source.includes(title)) return `${ref.path} has no test titled "…${title}…"`;
  }
  return undefined;
}
