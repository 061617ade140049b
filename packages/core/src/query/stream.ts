import type { RawResult } from '../database/driver.js';

/** Options of `SelectQuery.iterator()`. */
export interface IteratorOptions {
  /** Rows fetched per round trip and held in memory at once (default 1,000). */
  readonly batchSize?: number;
}

export const DEFAULT_BATCH_SIZE = 1_000;

/** Checks `batchSize` before anything is sent. */
export function batchSizeOf(options: IteratorOptions): number {
  const n = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(n) || n < 1) throw new TypeError(`iterator(): batchSize must be a positive integer, received ${String(n)}`);
  return n;
}

/**
 * Hydrates each batch with the query's own row reader (and, with prefetch,
 * loads the batch's relations) and hands its rows out one by one: the
 * streaming twin of `await query`. The batches come from
 * `Database.cursorBatches` (database/cursor-batches.ts). Written as a plain iterator rather than an
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
