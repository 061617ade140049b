import { mapDatabaseError } from '../errors/map-error.js';
import { insideOwnCursor } from './cursor-context.js';
import type { Connection, ConnectionIntent, Driver } from './driver.js';
import type { ReadRouting } from './read-routing.js';

/** How many times one read may move to another server (each failed attempt is its own `query` event). */
export const MAX_READ_RETRIES = 4;

/**
 * A database's connections over time: open on first use (or `connect()`),
 * acquire and release for each statement or transaction, close once. The
 * only place that calls the driver's `acquire`, `release` and `shutdown`, so
 * every connection pewit takes has its driver error mapped and the
 * self-waiting cursor refused, whatever path takes it; and where reads are
 * routed (`ReadRouting`) and writes noted for read-your-writes, whatever path
 * reads or writes.
 */
export class Lifecycle {
  readonly #driver: Driver;
  /** The database: who owns cursors (`markCursor`) and what error messages name. */
  readonly #owner: object;
  readonly #routing: ReadRouting;
  /** Connections acquired for work that may write: their release is the moment a later read must see. */
  readonly #writers = new WeakSet<Connection>();
  #closed = false;

  constructor(driver: Driver, owner: object, routing: ReadRouting) {
    this.#driver = driver;
    this.#owner = owner;
    this.#routing = routing;
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
    // On the primary, and given straight back: it sent nothing, so it is no write for read-your-writes.
    const connection = await this.acquire();
    this.#writers.delete(connection);
    this.release(connection);
  }

  /**
   * The driver's `acquire()` with its error (refused connection, pool timeout) mapped to pewit's classes.
   * `intent` is the work's own (default `'write'`); a read is sent to the primary where routing says so.
   */
  async acquire(intent: ConnectionIntent = 'write'): Promise<Connection> {
    this.#refuseSelfWait();
    const routes = this.#driver.routesReads === true;
    let connection: Connection;
    try {
      connection = await this.#driver.acquire(routes ? this.#routing.route(intent) : 'write');
    } catch (error) {
      throw mapDatabaseError(error);
    }
    if (routes && intent === 'write') this.#writers.add(connection);
    return connection;
  }

  /** True when the driver routes reads (read replicas): only then are intents judged and writes noted. */
  get routesReads(): boolean {
    return this.#driver.routesReads === true;
  }

  /** Gives `connection` back; pass `brokenBy(error)` so a broken one is discarded. */
  release(connection: Connection, broken?: Error): void {
    // Noted at the end of the work (a transaction's COMMIT, not its BEGIN): the sticky window starts once the write is visible.
    if (this.#writers.delete(connection)) this.#routing.wrote();
    this.#driver.release(connection, broken);
  }

  /** Whether a read that failed on `connection` may be sent again, and where (`Driver.retryRead`); asked before releasing it. */
  retryRead(connection: Connection, error: unknown): ConnectionIntent | undefined {
    if (!(error instanceof Error) || !this.#driver.retryRead) return undefined;
    return this.#driver.retryRead(connection, error);
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
