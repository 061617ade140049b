/** One heading of a markdown page and what stands under it, up to the next heading of any level. */
export interface Section {
  /** The heading text, e.g. `Retries on \`SerializationError\``. */
  readonly heading: string;
  /** 1-based markdown line of the heading. */
  readonly line: number;
  /** Lines of prose (outside code fences and HTML comments) under the heading. */
  readonly prose: number;
  /** True when the section holds a ```ts fence the docs-sample runner runs (not `typecheck-only`). */
  readonly runsSamples: boolean;
  /** The `<!-- proof: … -->` comments of the section, with their lines. */
  readonly proofs: readonly { readonly text: string; readonly line: number }[];
}

const FENCE = /^\s*(`{3,}|~{3,})\s*([\w-]*)(.*)$/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const PROOF = /<!--\s*proof:([\s\S]*?)-->/g;

/**
 * Splits a page into sections. Headings inside code fences (a `# comment` in a shell sample) and inside HTML
 * comments (hidden docs-setup code) do not count; proof comments may span lines.
 */
export function sectionsOf(markdown: string): Section[] {
  const lines = markdown.split('\n');
  const sections: { heading: string; line: number; prose: number; runsSamples: boolean; proofs: { text: string; line: number }[] }[] = [];
  let current = { heading: '(before the first heading)', line: 1, prose: 0, runsSamples: false, proofs: [] as { text: string; line: number }[] };
  sections.push(current);
  let fence: string | undefined;
  let inComment = false;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? '';
    if (fence) {
      if (text.trim().startsWith(fence) && text.trim().replace(/[`~]/g, '') === '') fence = undefined;
      continue;
    }
    if (inComment) {
      if (text.includes('-->')) inComment = false;
      continue;
    }
    const open = FENCE.exec(text);
    if (open) {
      fence = open[1];
      const language = open[2] ?? '';
      if ((language === 'ts' || language === 'typescript') && !/\btypecheck-only\b/.test(open[3] ?? '')) current.runsSamples = true;
      continue;
    }
    if (text.includes('<!--')) {
      const rest = lines.slice(i).join('\n');
      const start = rest.indexOf('<!--');
      const end = rest.indexOf('-->', start);
      const comment = rest.slice(start, end + 3);
      PROOF.lastIndex = 0;
      const proof = PROOF.exec(comment);
      if (proof) current.proofs.push({ text: (proof[1] ?? '').replace(/\s+/g, ' ').trim(), line: i + 1 });
      if (!text.slice(text.indexOf('<!--')).includes('-->')) inComment = true;
      if (text.slice(0, text.indexOf('<!--')).trim() !== '') current.prose++;
      continue;
    }
    const heading = HEADING.exec(text);
    if (heading) {
      current = { heading: heading[2] ?? '', line: i + 1, prose: 0, runsSamples: false, proofs: [] };
      sections.push(current);
      continue;
    }
    if (text.trim() !== '') current.prose++;
  }
  return sections;
}
