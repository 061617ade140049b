import { redactText, redactUrl } from '@pewit/core';
import pg from 'pg';

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN']);

/** Every error in `error`'s cause chain and AggregateError parts. */
function chain(error: unknown, depth = 0): Error[] {
  if (!(error instanceof Error) || depth > 8) return [];
  const parts = error instanceof AggregateError ? error.errors.flatMap((e: unknown) => chain(e, depth + 1)) : [];
  return [error, ...parts, ...chain(error.cause, depth + 1)];
}

/** `url` with its password masked, e.g. `postgres://app:***@db:5432/app` (core's redactUrl). */
export { redactUrl };

/**
 * One line saying what to do when `error` means the database at `url` cannot be reached, refuses the login or
 * lacks the database; `undefined` for any other error (let it surface as it is). The URL is shown without its
 * password.
 *
 * @example
 * databaseFailureLine(error, 'postgres://app:pw@127.0.0.1:1/app')
 * // 'cannot reach PostgreSQL at postgres://app:***@127.0.0.1:1/app (ECONNREFUSED): start it, or fix DATABASE_URL …'
 */
export function databaseFailureLine(error: unknown, url: string): string | undefined {
  const errors = chain(error);
  const at = `PostgreSQL at ${redactUrl(url)}`;
  const secret = (() => {
    try {
      return decodeURIComponent(new URL(url).password);
    } catch {
      return '';
    }
  })();
  const said = (e: Error) => redactText(e.message, [secret]);
  const code = (e: Error) => (e as { code?: unknown }).code;
  const login = errors.find((e) => code(e) === '28P01' || code(e) === '28000');
  if (login) return `${at} refused the login: ${said(login)}; check the user and password in DATABASE_URL`;
  const database = errors.find((e) => code(e) === '3D000');
  if (database) return `${at}: ${said(database)}; create it (CREATE DATABASE) or name another one in DATABASE_URL`;
  const network = errors.find((e) => UNREACHABLE.has(String(code(e))));
  if (network) {
    return `cannot reach ${at} (${String(code(network))}): start it, or fix DATABASE_URL, or unset DATABASE_URL to use a throwaway embedded PostgreSQL`;
  }
  if (errors.some((e) => /Connection terminated due to connection timeout|timeout expired/i.test(e.message))) {
    return `cannot reach ${at} (connection timeout): start it, or fix DATABASE_URL, or unset DATABASE_URL to use a throwaway embedded PostgreSQL`;
  }
  return undefined;
}

/**
 * Connects to `url` once and disconnects; throws an Error whose message is {@link databaseFailureLine} (and
 * whose stack is that line alone, so a runner prints one line) when the server cannot be used.
 *
 * @example await checkDatabase(process.env.DATABASE_URL) // sends: SELECT 1
 */
export async function checkDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const line =
      databaseFailureLine(error, url) ?? `${`PostgreSQL at ${redactUrl(url)}`} cannot be used: ${redactUrl(String((error as Error).message ?? error))}`;
    const failure = new Error(line);
    failure.stack = line;
    throw failure;
  } finally {
    await client.end().catch(() => undefined);
  }
}
