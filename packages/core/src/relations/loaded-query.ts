import { SelectQuery } from '../query/select-query.js';

/**
 * A relation query whose rows were already loaded (by prefetch or `load()`):
 * `await`, `allSync()` and `for…of` return them without running a query.
 * Anything built from it (`.where(…)`, `.count()`) is a new query and runs.
 */
export class LoadedQuery<R> extends SelectQuery<R> {
  readonly #rows: readonly R[];

  /** @internal */
  constructor(query: SelectQuery<R>, rows: readonly R[]) {
    super(query as never);
    this.#rows = rows;
  }

  /** The loaded rows (a copy: changing it does not change what is cached). */
  override execute(): Promise<R[]> {
    return Promise.resolve([...this.#rows]);
  }

  override allSync(): R[] {
    return [...this.#rows];
  }

  override [Symbol.iterator](): Iterator<R> {
    return [...this.#rows][Symbol.iterator]();
  }
}
