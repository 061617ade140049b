import { createInterface, type Interface } from 'node:readline';

/**
 * Asks yes/no questions on stdout and reads the answers from stdin, a line
 * each: from a terminal, or from a pipe (a script, a test). When stdin ends
 * (or is /dev/null, as in CI) a question counts as answered no, so a
 * non-interactive run never renames anything it was not told to.
 *
 * @example
 * const asker = stdinAsker();
 * await asker.ask('rename users.fullname → users.full_name?'); // prints "… [y/N] ", true on "y"
 * asker.close();
 */
export function stdinAsker(
  input: NodeJS.ReadableStream = process.stdin,
  write: (text: string) => void = (text) => process.stdout.write(text),
): { ask: (question: string) => Promise<boolean>; close: () => void } {
  let reader: Interface | undefined;
  let ended = false;
  const lines: string[] = [];
  let waiting: ((line: string | undefined) => void) | undefined;
  const settle = (line: string | undefined) => {
    const resolve = waiting;
    waiting = undefined;
    resolve?.(line);
  };
  const start = () => {
    if (reader) return;
    input.on('error', () => {
      ended = true;
      settle(undefined);
    });
    reader = createInterface({ input, terminal: false });
    reader.on('line', (line) => (waiting ? settle(line) : lines.push(line)));
    reader.on('close', () => {
      ended = true;
      settle(undefined);
    });
  };
  const next = () =>
    new Promise<string | undefined>((resolve) => {
      start();
      if (lines.length > 0) resolve(lines.shift());
      else if (ended) resolve(undefined);
      else waiting = resolve;
    });
  return {
    ask: async (question) => {
      write(`${question} [y/N] `);
      const answer = await next();
      if (answer === undefined) write('(no answer: no)\n');
      // A terminal echoes what was typed; a pipe does not, so the transcript shows the answer.
      else if ((input as { isTTY?: boolean }).isTTY !== true) write(`${answer}\n`);
      return answer !== undefined && /^\s*y(es)?\s*$/i.test(answer);
    },
    close: () => reader?.close(),
  };
}
