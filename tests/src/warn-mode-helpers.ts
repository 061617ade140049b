import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WarnModeLogger } from '@pewit/warn-mode';

/** A logger that keeps what warn mode writes. */
export function collectingLogger(): WarnModeLogger & { messages: string[] } {
  const messages: string[] = [];
  return { messages, warn: (message) => messages.push(message) };
}

/**
 * The 1-based line of the test file holding `// line-marker: name`, so tests
 * can assert a reported call site without hard-coding line numbers.
 */
export function markerLine(fileUrl: string, name: string): number {
  const lines = readFileSync(fileURLToPath(fileUrl), 'utf8').split('\n');
  const matches = lines.flatMap((line, index) => (line.includes(`// line-marker: ${name}`) ? [index + 1] : []));
  if (matches.length !== 1) throw new Error(`expected exactly one "// line-marker: ${name}" in ${fileUrl}, found ${matches.length}`);
  return matches[0] as number;
}
