import type { RawResult, Statement } from '@pewit/core';
import type pg from 'pg';
import { ArrayQuery, type ArrayStatement } from './array-query.js';
import type { StatementCache } from './statement-cache.js';

/**
 * Per-query type parsing for what still goes through pg's own result (cursors, the pooler check): every column
 * comes back as the server's text and core converts it. Passing `types` on each query leaves pg's global
 * parsers untouched, so other code in the process using `pg` sees no change.
 */
export const RAW_TEXT_TYPES = {
  getTypeParser: () => (value: string) => value,
};

/** Converts pg's result into core's RawResult: a cursor's batch (`raw-cursor.ts`); of several, the last. */
export function toRawResult(answer: pg.QueryArrayResult | pg.QueryArrayResult[] | undefined): RawResult {
  const result = Array.isArray(answer) ? answer[answer.length - 1] : answer;
  if (!result) return { command: '', rowCount: 0, fields: [], rows: [] };
  return {
    command: result.command,
    rowCount: result.rowCount,
    fields: (result.fields ?? []).map((f) => ({ name: f.name, typeId: f.dataTypeID })),
    rows: result.rows as (string | null)[][],
  };
}

/**
 * Runs one statement on `client`. With a statement cache, a parameterized
 * statement seen before runs as a named prepared statement (Bind/Execute
 * only). When the server refuses a cached statement — its result type
 * changed after an ALTER TABLE (0A000), or the session lost it to `DISCARD
 * ALL` or a pooler (26000) — the statement is forgotten and, outside a
 * transaction (where nothing ran), sent again unnamed; inside one the error
 * stands, since the transaction is aborted either way.
 *
 * `prelude` (parameterless control statements: `BEGIN`, `SAVEPOINT …`) goes ahead of the statement in the same
 * round trip (`array-query.ts`); a cached statement refused after it is never sent again, since the prelude
 * has run.
 *
 * @example
 * await runQuery(client, { text: 'SELECT "id" FROM "users" WHERE "id" = $1', values: [1] }, cache);
 * await runQuery(client, { text: 'UPDATE "posts" SET "views" = $1 WHERE "id" = $2', values: [1, 7] }, cache, ['BEGIN']);
 */
export async function runQuery(client: pg.ClientBase, statement: Statement, cache?: StatementCache, prelude?: readonly string[]): Promise<RawResult> {
  const { text, values } = statement;
  if (!cache) return send(client, { text, values, prelude });
  if (cache.hasStale && client.getTransactionStatus() === 'I') await deallocate(client, cache.takeStale());
  // Statements without parameters are DDL, transaction control and the like: not worth a slot.
  const name = values.length === 0 ? undefined : cache.nameFor(text);
  if (name === undefined) return send(client, { text, values, prelude });
  try {
    return await send(client, { text, values, prelude, name, fields: cache.fieldsOf(text) }, cache);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== '0A000' && code !== '26000') throw error;
    cache.forget(text, code === '0A000');
    forgetParsed(client, name);
    if (client.getTransactionStatus() !== 'I' || prelude?.length) throw error;
    return send(client, { text, values });
  }
}

/**
 * Sends one statement as an `ArrayQuery` on pg's client (which queues it behind any other), and remembers the
 * result columns of a prepared statement the first time a run describes them.
 */
function send(client: pg.ClientBase, statement: ArrayStatement, cache?: StatementCache): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const query = new ArrayQuery(statement);
    query.callback = (error, result) => {
      if (error) return reject(error);
      if (cache && query.described) cache.describe(statement.text, query.described);
      resolve(result as RawResult);
    };
    client.query(query as unknown as pg.QueryConfig);
  });
}

/** Frees evicted statements on the server; runs only while the session is idle, so it can never abort a transaction. */
async function deallocate(client: pg.ClientBase, names: readonly string[]): Promise<void> {
  for (const name of names) forgetParsed(client, name);
  try {
    await client.query(names.map((name) => `DEALLOCATE ${name}`).join('; '));
  } catch {
    // The session no longer had them (DISCARD ALL, a pooler): nothing left to free.
  }
}

/**
 * pg remembers which names it has parsed on a connection and would skip Parse
 * for them; names are never reused, so dropping the record only keeps that
 * map as bounded as the cache.
 */
function forgetParsed(client: pg.ClientBase, name: string): void {
  const parsed = (client as unknown as { connection?: { parsedStatements?: Record<string, string> } }).connection?.parsedStatements;
  if (parsed) delete parsed[name];
}
