/**
 * How a sample takes part in its page's module: ```ts fences are `plain`, `setup` or `typecheck-only`; hidden
 * HTML comments are the `prelude` (`<!-- docs-prelude … -->`, emitted first) or a `hidden-setup`
 * (`<!-- docs-setup … -->`, emitted at top level where it stands, e.g. seed rows for models declared above it).
 */
export type SampleKind = 'plain' | 'setup' | 'typecheck-only' | 'prelude' | 'hidden-setup';

/** One piece of TypeScript found in a markdown page. */
export interface Sample {
  readonly kind: SampleKind;
  /** The code, with the fence's own indentation removed. */
  readonly code: string;
  /** 1-based markdown line of the code's first line. */
  readonly line: number;
}

/** Every sample of a page, in page order (the hidden prelude first). */
export interface PageSamples {
  /** Path relative to the repository root, e.g. `docs/querying.md`. */
  readonly page: string;
  readonly samples: readonly Sample[];
}

const FENCE_OPEN = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)(.*)$/;
const HIDDEN_OPEN = /^\s*<!--\s*docs-(prelude|setup)\b(.*)$/;
const TS_LANGUAGES = new Set(['ts', 'typescript']);
const FLAGS = new Set(['setup', 'typecheck-only']);

/**
 * Finds the TypeScript samples of a markdown page: every ```ts fence (with an optional `setup` or
 * `typecheck-only` word after the language), the one hidden `<!-- docs-prelude … -->` comment and any hidden
 * `<!-- docs-setup … -->` comments.
 * Fences of other languages are skipped; an unknown word after `ts` is an error, so a typo cannot
 * silently turn a sample into something else.
 */
export function extractSamples(page: string, markdown: string): PageSamples {
  const lines = markdown.split('\n');
  const samples: Sample[] = [];
  let preludeSeen = false;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    const hidden = HIDDEN_OPEN.exec(text);
    if (hidden) {
      const isPrelude = hidden[1] === 'prelude';
      if (isPrelude && preludeSeen) throw new Error(`${page}:${i + 1}: a page holds at most one docs-prelude comment`);
      preludeSeen ||= isPrelude;
      const end = findLine(lines, i + 1, (l) => l.includes('-->'));
      if (end < 0) throw new Error(`${page}:${i + 1}: docs-${hidden[1]} comment is never closed with -->`);
      if ((hidden[2]?.trim() ?? '') !== '') throw new Error(`${page}:${i + 1}: put the code on the lines after "<!-- docs-${hidden[1]}"`);
      const closing = (lines[end] ?? '').slice(0, (lines[end] ?? '').indexOf('-->'));
      const body = [...lines.slice(i + 1, end), ...(closing.trim() === '' ? [] : [closing])];
      const sample: Sample = { kind: isPrelude ? 'prelude' : 'hidden-setup', code: dedent(body).join('\n'), line: i + 2 };
      if (isPrelude) samples.unshift(sample);
      else samples.push(sample);
      i = end;
      continue;
    }
    const open = FENCE_OPEN.exec(text);
    if (!open) continue;
    const [, indent = '', marker = '', language = '', info = ''] = open;
    const end = findLine(lines, i + 1, (l) => l.trim().startsWith(marker) && l.trim().replace(/[`~]/g, '') === '');
    if (end < 0) throw new Error(`${page}:${i + 1}: code fence is never closed`);
    if (TS_LANGUAGES.has(language.toLowerCase())) {
      const words = info.trim().split(/\s+/).filter(Boolean);
      const unknown = words.filter((w) => !FLAGS.has(w));
      if (unknown.length > 0) throw new Error(`${page}:${i + 1}: unknown word(s) after \`\`\`ts: ${unknown.join(' ')} (allowed: setup, typecheck-only)`);
      if (words.length > 1) throw new Error(`${page}:${i + 1}: a fence is either setup or typecheck-only, not both`);
      const kind: SampleKind = words[0] === 'setup' ? 'setup' : words[0] === 'typecheck-only' ? 'typecheck-only' : 'plain';
      if (kind === 'typecheck-only' && !isHtmlComment(nearestText(lines, i - 1, -1)) && !isHtmlComment(nearestText(lines, end + 1, 1))) {
        throw new Error(`${page}:${i + 1}: a typecheck-only sample needs its reason in an HTML comment right before or after it (<!-- … -->)`);
      }
      const body = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
      samples.push({ kind, code: body.join('\n'), line: i + 2 });
    }
    i = end;
  }
  return { page, samples };
}

/** The first non-blank line from `from`, walking by `step`. */
function nearestText(lines: readonly string[], from: number, step: 1 | -1): string {
  for (let i = from; i >= 0 && i < lines.length; i += step) if ((lines[i] ?? '').trim() !== '') return (lines[i] ?? '').trim();
  return '';
}

function isHtmlComment(line: string): boolean {
  return line.endsWith('-->') || line.startsWith('<!--');
}

function findLine(lines: readonly string[], from: number, test: (line: string) => boolean): number {
  for (let i = from; i < lines.length; i++) if (test(lines[i] ?? '')) return i;
  return -1;
}

/** Removes the indentation common to all non-blank lines (a prelude inside a list item, say). */
function dedent(lines: readonly string[]): string[] {
  const widths = lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length);
  const cut = widths.length === 0 ? 0 : Math.min(...widths);
  return lines.map((l) => l.slice(cut));
}
