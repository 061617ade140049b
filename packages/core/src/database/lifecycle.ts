import { mapDatabaseError } from '../errors/map-error.js';
import { insideOwnCursor } from './cursor-context.js';
import type { Connection, Driver } from './driver.js';

/**
 * A database's connections over time: open on first use (or `connect()`),
 * acquire and release for each statement or transaction, close once. The
 * only place that calls the driver's `acquire`, `release` and `shutdown`, so
 * every connection pewit takes has its driver error mapped and the
 * self-waiting cursor refused, whatever path takes it.
 */
export class Lifecycle {
  readonly #driver: Driver;
  /** The database: who owns cursors (`markCursor`) and what error messages name. */
  readonly #owner: object;
  #closed = false;

  constructor(driver: Driver, owner: object) {
    this.#driver = driver;
    this.#owner = owner;
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  assertOpen(): void {
    if (this.#closed) throw new Error('the database is closed: create a new database object, or stop using this one after close()');
  }

  /** Opens a connection now, so a bad URL fails early with the same error classes as any query. */
  async connect(): Promise<void> {
    this.assertOpen();
    this.release(await this.acquire());
  }

  /** The driver's `acquire()` with its error (refused connection, pool timeout) mapped to pewit's classes. */
  async acquire(): Promise<Connection> {
    this.#refuseSelfWait();
    try {
      return await this.#driver.acquire();
    } catch (error) {
      throw mapDatabaseError(error);
    }
  }

  /** Gives `connection` back; pass `brokenBy(error)` so a broken one is discarded. */
  release(connection: Connection, broken?: Error): void {
    this.#driver.release(connection, broken);
  }

  /** Lets running work finish, then closes every connection (and the blocking worker); later calls do nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#driver.shutdown();
  }

  /**
   * A query awaited inside `for await (… of q.iterator())` on a database with one async connection would wait
   * for the cursor, which waits for the loop body: a hang. Refuse it at once instead, saying what works.
   */
  #refuseSelfWait(): void {
    if (!insideOwnCursor(this.#owner)) return;
    throw new Error(
      `a query inside a for await…of loop over iterator() on ${this.#owner.constructor.name} would wait forever: the open cursor ` +
        'holds the only async connection until the loop ends. Load the rows first (await query, or .all()) and loop over ' +
        'the array, run the query after the loop, or stream on a PooledPostgresqlDatabase (max of 2 or more).',
    );
  }
}
