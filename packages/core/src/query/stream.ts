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
      failure ??= mapDatabaseError(error, statement.text, statement.values);
    }
    opened?.release(failure && isConnectionFailure(failure) ? failure : undefined);
    finish?.(failure);
  }
}

function rethrowMapped(statement: Statement): (error: unknown) => never {
  return (error) => {
    throw mapDatabaseError(error, statement.text, statement.values);
  };
}

function isConnectionFailure(error: Error): boolean {
  // 55P03 (LockNotAvailableError) leaves the session usable; a cancel or a kill is treated as before its subclass existed.
  return error.name === 'OperationalError' || error.name === 'QueryCanceledError' || error.name === 'AdminShutdownError';
}

/**
 * Hydrates each batch with the query's own row reader (and, with prefetch,
 * loads the batch's relations) and hands its rows out one by one: the
 * streaming twin of `await query`. Written as a plain iterator rather than an
 * async generator: a generator's `yield` costs several promise turns per row,
 * where a row already in memory needs one resolved promise.
 */
export function streamRows<R>(
  batches: AsyncGenerator<RawResult, void, undefined>,
  read: (result: RawResult) => R[] | Promise<R[]>,
): AsyncGenerator<R, void, undefined> {
  return new RowStream(batches, read);
}

const DONE: IteratorReturnResult<void> = Object.freeze({ value: undefined, done: true });

class RowStream<R> implements AsyncGenerator<R, void, undefined> {
  #rows: readonly R[] = [];
  #index = 0;
  /** The batch being read; a `next()` called meanwhile waits for it, as an async generator's would. */
  #loading: Promise<IteratorResult<R, void>> | undefined;
  #finished = false;

  constructor(
    private readonly batches: AsyncGenerator<RawResult, void, undefined>,
    private readonly read: (result: RawResult) => R[] | Promise<R[]>,
  ) {}

  next(): Promise<IteratorResult<R, void>> {
    if (this.#loading) return this.#loading.then(() => this.next());
    if (this.#index < this.#rows.length) return Promise.resolve({ value: this.#rows[this.#index++] as R, done: false });
    if (this.#finished) return Promise.resolve(DONE);
    this.#loading = this.#nextBatch().finally(() => {
      this.#loading = undefined;
    });
    return this.#loading;
  }

  async #nextBatch(): Promise<IteratorResult<R, void>> {
    for (;;) {
      let step: IteratorResult<RawResult, void>;
      try {
        step = await this.batches.next();
      } catch (error) {
        // The cursor's generator has already closed it and released the connection.
        this.#finish();
        throw error;
      }
      if (step.done) return this.#finish();
      let rows: readonly R[];
      try {
        rows = await this.read(step.value);
      } catch (error) {
        // A failed hydration or prefetch ends the stream: close the cursor before reporting it.
        await this.#close();
        throw error;
      }
      if (rows.length > 0) {
        this.#rows = rows;
        this.#index = 1;
        return { value: rows[0] as R, done: false };
      }
    }
  }

  /** `break` out of `for await` lands here: the cursor closes and the connection goes back. */
  async return(): Promise<IteratorResult<R, void>> {
    await this.#loading?.catch(() => undefined);
    await this.#close();
    return DONE;
  }

  async throw(error: unknown): Promise<IteratorResult<R, void>> {
    await this.#close();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  #finish(): IteratorReturnResult<void> {
    this.#finished = true;
    this.#rows = [];
    return DONE;
  }

  async #close(): Promise<void> {
    if (this.#finished) return;
    this.#finish();
    await this.batches.return();
  }
}
