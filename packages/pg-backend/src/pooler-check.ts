import type pg from 'pg';
import { RAW_TEXT_TYPES } from './raw-query.js';

/**
 * Whether `client` talks to PostgreSQL through a connection pooler. A server answers the login with its own
 * process id (BackendKeyData, pg's `client.processID`); PgBouncer, which hands each transaction to whichever
 * server connection is free, answers with a random key of its own instead. So the id the login reported differs
 * from `pg_backend_pid()` exactly when something between us and the server answered the login (a login that
 * reported none counts as pooled: nothing says the session is pinned).
 *
 * Run once per connection, before its first statement, so outside any transaction: it leaves nothing behind.
 *
 * @example
 * await behindPooler(client); // SELECT pg_backend_pid() → true through PgBouncer, false on a direct connection
 */
export async function behindPooler(client: pg.ClientBase): Promise<boolean> {
  const reported = (client as unknown as { processID?: number | null }).processID;
  const result = await client.query<[string | null]>({ text: 'SELECT pg_backend_pid()', rowMode: 'array', types: RAW_TEXT_TYPES });
  return reported == null || String(reported) !== result.rows[0]?.[0];
}
