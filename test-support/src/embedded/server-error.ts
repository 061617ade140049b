/** How many of the server's last log lines an error quotes. */
const QUOTED_LINES = 20;

/**
 * The embedded PostgreSQL could not be set up, started or stopped. The message is one line that says what failed
 * and how to go on, followed by the server's (or initdb's) own last log lines, so nobody has to find a log file.
 *
 * @example
 * try { await startEmbeddedServer({ port: 5432 }) }
 * catch (e) { if (e instanceof EmbeddedServerError) console.error(e.message) }
 * // embedded PostgreSQL did not start (exit code 1) …
 * //   server log: LOG:  could not bind IPv4 address "127.0.0.1": Address already in use
 */
export class EmbeddedServerError extends Error {
  override name = 'EmbeddedServerError';
  /** The log lines quoted in the message (the last ones the server wrote). */
  readonly logLines: readonly string[];

  constructor(summary: string, logLines: readonly string[] = [], options?: { cause?: unknown }) {
    const quoted = logLines.slice(-QUOTED_LINES);
    super(quoted.length === 0 ? summary : `${summary}\n${quoted.map((line) => `  server log: ${line}`).join('\n')}`, options);
    this.logLines = quoted;
  }
}

/** What a user can do when the embedded server cannot run here. */
export const WAYS_ON =
  'run as a non-root user, clone into a directory other users can read, or set DATABASE_URL to an existing PostgreSQL (postgres://user:password@host:5432/db)';
