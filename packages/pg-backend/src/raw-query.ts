import type { RawResult, Statement } from '@pewit/core';
import type pg from 'pg';
import { PreludeQuery } from './prelude-query.js';
import type { StatementCache } from './statement-cache.js';

/**
 * Per-query type parsing: every column comes back as the server's text and
 * core converts it. Passing `types` on each query leaves pg's global parsers
 * untouched, so other code in the process using `pg` sees no change.
 */
export const RAW_TEXT_TYPES = {
  getTypeParser: () => (value: string) => value,
};

/**
 * What every statement shares. pg copies a query config's own properties on
 * each query (about a microsecond for five of them), so the constant ones
 * live on the prototype, where pg still reads them.
 */
const ARRAY_OF_TEXT: Pick<pg.QueryArrayConfig, 'rowMode' | 'types'> = Object.freeze({ rowMode: 'array', types: RAW_TEXT_TYPES });

/** The query config pewit sends: array rows, raw text cells, and the prepared statement's name when it has one. */
function queryConfig(statement: Statement, name?: string): pg.QueryArrayConfig {
  const config = Object.create(ARRAY_OF_TEXT) as pg.QueryArrayConfig;
  config.text = statement.text;
  config.values = statement.values as unknown[];
  if (name !== undefined) config.name = name;
  return config;
}

/**
 * Converts pg's result into core's RawResult. SQL with several statements and no parameters goes as one
 * simple query, for which pg answers with one result per statement: the last one is the result, as in psql.
 * Also converts a cursor's batch (`raw-cursor.ts`).
 */
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
 * round trip (`prelude-query.ts`); a cached statement refused after it is never sent again, since the prelude
 * has run.
 *
 * @example
 * await runQuery(client, { text: 'SELECT "id" FROM "users" WHERE "id" = $1', values: [1] }, cache);
 * await runQuery(client, { text: 'UPDATE "posts" SET "views" = $1 WHERE "id" = $2', values: [1, 7] }, cache, ['BEGIN']);
 */
export async function runQuery(client: pg.ClientBase, statement: Statement, cache?: StatementCache, prelude?: readonly string[]): Promise<RawResult> {
  if (!cache) return send(client, queryConfig(statement), prelude);
  if (cache.hasStale && client.getTransactionStatus() === 'I') await deallocate(client, cache.takeStale());
  // Statements without parameters are DDL, transaction control and the like: not worth a slot.
  const name = statement.values.length === 0 ? undefined : cache.nameFor(statement.text);
  if (name === undefined) return send(client, queryConfig(statement), prelude);
  try {
    return await send(client, queryConfig(statement, name), prelude);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== '0A000' && code !== '26000') throw error;
    cache.forget(statement.text, code === '0A000');
    forgetParsed(client, name);
    if (client.getTransactionStatus() !== 'I' || prelude?.length) throw error;
    return send(client, queryConfig(statement));
  }
}

/**
 * pg's callback form. Its promise form costs far more garbage collection on
 * large results (measured: about 0.4 ms per 1,000-row query, ten times the
 * callback form's), for the same statement and rows.
 */
function send(client: pg.ClientBase, config: pg.QueryArrayConfig, prelude?: readonly string[]): Promise<RawResult> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | undefined, result: pg.QueryArrayResult) => {
      if (error) reject(error);
      else resolve(toRawResult(result));
    };
    if (prelude?.length) client.query(new PreludeQuery(prelude, config) as unknown as pg.QueryArrayConfig, done);
    else client.query(config, done);
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
