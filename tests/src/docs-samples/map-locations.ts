import type { BuiltPage } from './page-files.js';

/**
 * Rewrites locations in the generated module (tsc's `docs-querying.ts(12,5)`, a stack's
 * `file:///…/docs-querying.ts:12:5`) into markdown locations (`docs/querying.md:40`), so a failure points at
 * the block a reader sees.
 */
export function toMarkdownLocations(text: string, page: BuiltPage): string {
  const slug = page.slug.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const where = (line: string) => {
    const origin = page.origins[Number(line) - 1];
    return origin === undefined ? `${page.page} (generated line ${line}, added by the runner)` : `${page.page}:${origin}`;
  };
  return text
    .replace(new RegExp(`(?:file://)?[^\\s()'"]*?\\b${slug}\\.ts\\((\\d+),\\d+\\)`, 'g'), (_m, line: string) => where(line))
    .replace(new RegExp(`(?:file://)?[^\\s()'"]*?\\b${slug}\\.ts:(\\d+)(?::\\d+)?`, 'g'), (_m, line: string) => where(line));
}
