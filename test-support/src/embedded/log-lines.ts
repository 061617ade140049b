import type { Readable } from 'node:stream';

/** The last `limit` lines a process wrote, read from its stdout/stderr as they arrive. */
export class LogLines {
  readonly #lines: string[] = [];
  #partial = '';
  readonly #listeners = new Set<(line: string) => void>();

  constructor(readonly limit = 200) {}

  /** Reads `stream` to its end (a server's pipe must be drained, or the server blocks once the pipe is full). */
  follow(stream: Readable | null): void {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (this.#partial + chunk).split('\n');
      this.#partial = parts.pop() ?? '';
      for (const line of parts) this.#push(line);
    });
  }

  /** Calls `listener` with every later line. */
  onLine(listener: (line: string) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The lines so far, plus an unfinished last one. */
  get lines(): string[] {
    return this.#partial ? [...this.#lines, this.#partial] : [...this.#lines];
  }

  #push(raw: string): void {
    const line = raw.trimEnd();
    if (!line) return;
    this.#lines.push(line);
    if (this.#lines.length > this.limit) this.#lines.shift();
    for (const listener of this.#listeners) listener(line);
  }
}
