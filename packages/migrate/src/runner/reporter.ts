import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

/**
 * Where the runner says what it does: progress, timings, warnings, SQL for
 * `--dry-run`. Colors only on a terminal (and never with NO_COLOR), so piped
 * output and logs stay plain text.
 */
export interface Reporter {
  line(text: string): void;
  style(style: Style, text: string): string;
}

/** A reporter writing to a stream (stdout by default). */
export function streamReporter(stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout): Reporter {
  const color = stream.isTTY === true && process.env.NO_COLOR === undefined;
  return {
    line: (text) => {
      stream.write(`${text}\n`);
    },
    style: (style, text) => (color ? styleText(style, text) : text),
  };
}

/** A reporter that keeps the lines (for tests and programmatic use). */
export function collectingReporter(): Reporter & { readonly lines: string[] } {
  const lines: string[] = [];
  return { lines, line: (text) => lines.push(text), style: (_style, text) => text };
}

/** Milliseconds as people read them. */
export const ms = (n: number): string => (n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(2)} s`);
