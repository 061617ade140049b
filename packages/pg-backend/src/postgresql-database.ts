import { type Connection, Database, type RawResult, type Statement } from '@pewit/core';
import pg from 'pg';
import { BlockingConnection } from './blocking-connection.js';
import { type ConnectionConfig, toClientConfig } from './connection-config.js';
import { Mutex } from './mutex.js';
import { openCursor } from './raw-cursor.js';
import { runQuery } from './raw-query.js';

// pg would queue the statement behind the open cursor, which only closes when the loop ends: a silent deadlock.
const STREAMING_BUSY =
  'this connection is reading a query.iterator() cursor: a statement sent inside the for await loop (in a transaction) ' +
  'would wait for the loop to end. Collect what you need and run it after the loop.';

/** Options of `PostgresqlDatabase` beyond the connection itself. */
export interface PostgresqlDatabaseOptions {
  /**
   * How long a blocking statement may run (default 60 s). The blocking connection sends it as its
   * `statement_timeout` (unless the config sets one), so the server cancels the statement and it fails
   * with OperationalError; a worker that still does not answer shortly after is stopped, and the next
   * blocking call starts a fresh one.
   * @example new PostgresqlDatabase(url, { blockingTimeoutMillis: 5_000 })
   */
  readonly blockingTimeoutMillis?: number;
}

/**
 * PostgreSQL on node-postgres: one async connection, used by one statement
 * (or one transaction) at a time, plus a blocking connection in a worker
 * thread opened on first blocking use.
 *
 * @example
 * const db = new PostgresqlDatabase('postgres://localhost/app');
 * const User = model('users', { id: AutoField(), name: TextField() }, { database: db });
 * await User.select(); // SELECT "users"."id", "users"."name" FROM "users"
 */
export class PostgresqlDatabase extends Database {
  /** The pg client options, as given (connection string normalised). */
  readonly config: pg.ClientConfig;
  readonly #mutex = new Mutex();
  readonly #blocking: BlockingConnection;
  #client: pg.Client | undefined;

  constructor(config: ConnectionConfig, options: PostgresqlDatabaseOptions = {}) {
    super();
    this.config = toClientConfig(config);
    this.#blocking = new BlockingConnection(this.config, options.blockingTimeoutMillis ?? 60_000);
  }

  async #connected(): Promise<pg.Client> {
    if (this.#client) return this.#client;
    const client = new pg.Client(this.config);
    // An idle connection killed by the server emits 'error'; forget it so the next use reconnects.
    client.on('error', () => {
      if (this.#client === client) this.#client = undefined;
    });
    await client.connect();
    this.#client = client;
    return client;
  }

  protected async acquire(): Promise<Connection> {
    await this.#mutex.lock();
    try {
      return this.connectionFor(await this.#connected());
    } catch (error) {
      this.#mutex.unlock();
      throw error;
    }
  }

  /** Core's view of one pg client: raw-text statements and cursors (the pooled backend reuses it). */
  protected connectionFor(client: pg.ClientBase): Connection {
    let streaming = false;
    return {
      query: (statement: Statement) => {
        if (streaming) return Promise.reject(new Error(STREAMING_BUSY));
        return runQuery(client, statement);
      },
      cursor: (statement: Statement) => {
        if (streaming) throw new Error(STREAMING_BUSY);
        streaming = true;
        return openCursor(client, statement, () => {
          streaming = false;
        });
      },
      processId: (client as unknown as { processID?: number }).processID,
    };
  }

  protected release(_connection: Connection, error?: Error): void {
    if (error && this.#client) {
      // The connection failed mid-use: drop it rather than hand a broken session to the next caller.
      const broken = this.#client;
      this.#client = undefined;
      broken.end().catch(() => undefined);
    }
    this.#mutex.unlock();
  }

  protected sendBlocking(statement: Statement): RawResult {
    return this.#blocking.query(statement);
  }

  protected async shutdown(): Promise<void> {
    await this.#mutex.lock();
    try {
      await Promise.all([this.#client?.end(), this.#blocking.close()]);
      this.#client = undefined;
    } finally {
      this.#mutex.unlock();
    }
  }
}
