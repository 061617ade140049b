import type { Connection, RawCursor, RawResult, Statement } from '../database/driver.js';
import { mapDatabaseError } from '../errors/map-error.js';

/** Options of `SelectQuery.iterator()`. */
export interface IteratorOptions {
  /** Rows fetched per round trip and held in memory at once (default 1,000). */
  readonly batchSize?: number;
}

/** What a cursor needs from its database; `Database.cursorBatches` provides it. */
export interface CursorHost {
  /** The connection to read on (the transaction's, or one acquired for the cursor) and how to give it back. */
  open(): Promise<{ readonly connection: Connection; release(error?: Error): void }>;
  /** Times a read, maps its error and emits the `query` event (used for the first read: the statement itself). */
  observe(statement: Statement, send: () => Promise<RawResult>): Promise<RawResult>;
  /** Emits the `evaluation` event; returns its completion callback, if anyone listens. */
  announce(): ((error?: unknown) => void) | undefined;
}

export const DEFAULT_BATCH_SIZE = 1_000;

/** Checks `batchSize` before anything is sent. */
export function batchSizeOf(options: IteratorOptions): number {
  const n = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(n) || n < 1) throw new TypeError(`iterator(): batchSize must be a positive integer, received ${String(n)}`);
  return n;
}

/**
 * Reads one statement through a server-side cursor, `batchSize` rows per
 * round trip, holding one batch at a time. The cursor is closed and the
 * connection given back when the rows run out, when the consumer stops early
 * (`break` calls `return()`, which runs `finally`), and on error.
 */
export async function* cursorBatches(host: CursorHost, statement: Statement, batchSize: number): AsyncGenerator<RawResult, void, undefined> {
  const finish = host.announce();
  let failure: Error | undefined;
  let opened: Awaited<ReturnType<CursorHost['open']>> | undefined;
  let cursor: RawCursor | undefined;
  try {
    opened = await host.open();
    const open = opened.connection.cursor;
    if (!open) throw new TypeError('this database backend has no server-side cursors: evaluate the query with await instead of iterator()');
    const reader = open.call(opened.connection, statement);
    cursor = reader;
    for (let first = true; ; first = false) {
      const batch = first ? await host.observe(statement, () => reader.read(batchSize)) : await reader.read(batchSize).catch(rethrowMapped(statement));
      if (batch.rows.length > 0) yield batch;
      // A short batch means the portal ran to completion (the server already closed it).
      if (batch.rows.length < batchSize) break;
    }
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    try {
      // A session that died mid-stream never answers the Close; it is discarded on release anyway.
      if (!(failure && isConnectionFailure(failure))) await cursor?.close();
    } catch (error) {
      failure ??= mapDatabaseError(error, statement.text);
    }
    opened?.release(failure && isConnectionFailure(failure) ? failure : undefined);
    finish?.(failure);
  }
}

function rethrowMapped(statement: Statement): (error: unknown) => never {
  return (error) => {
    throw mapDatabaseError(error, statement.text);
  };
}

function isConnectionFailure(error: Error): boolean {
  return error.name === 'OperationalError';
}

/**
 * Hydrates each batch with the query's own row reader (and, with prefetch,
 * loads the batch's relations) and yields its rows one by one: the streaming
 * twin of `await query`.
 */
export async function* streamRows<R>(batches: AsyncIterable<RawResult>, read: (result: RawResult) => R[] | Promise<R[]>): AsyncGenerator<R, void, undefined> {
  for await (const batch of batches) yield* await read(batch);
}
