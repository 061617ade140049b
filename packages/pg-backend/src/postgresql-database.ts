import { type Connection, Database, type RawResult, redactSecrets, type Statement } from '@pewit/core';
import pg from 'pg';
import { BlockingConnection } from './blocking-connection.js';
import { type ConnectionConfig, redactedConfig, secretsOf, toClientConfig } from './connection-config.js';
import { Mutex } from './mutex.js';
import { openCursor } from './raw-cursor.js';
import { runQuery } from './raw-query.js';
import { StatementCache } from './statement-cache.js';

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
  /**
   * Most named prepared statements kept per connection (default 100). A parameterized statement
   * seen twice on a connection is prepared under a name, so the server skips parse and plan for it
   * from then on; the least recently used is deallocated beyond this many. Set 0 behind PgBouncer in
   * transaction mode (or any pooler that does not pin sessions), where a name prepared on one server
   * session is unknown on the next.
   * @example new PostgresqlDatabase(url, { statementCacheSize: 0 }) // every statement unnamed, as pg sends it
   */
  readonly statementCacheSize?: number;
}

/** The default `statementCacheSize`. */
export const DEFAULT_STATEMENT_CACHE_SIZE = 100;

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
  // Private, so util.inspect, console.log and JSON.stringify of the database never see the password.
  readonly #config: pg.ClientConfig;
  readonly #secrets: readonly string[];
  readonly #mutex = new Mutex();
  readonly #blocking: BlockingConnection;
  /** Core's view of each pg client, made once per client (see `connectionFor`). */
  readonly #connections = new WeakMap<pg.ClientBase, Connection>();
  #client: pg.Client | undefined;
  /** The `statementCacheSize` in effect (0: no prepared statements). */
  readonly statementCacheSize: number;

  constructor(config: ConnectionConfig, options: PostgresqlDatabaseOptions = {}) {
    super();
    this.#config = toClientConfig(config);
    this.#secrets = secretsOf(this.#config);
    this.statementCacheSize = checkCacheSize(options.statementCacheSize ?? DEFAULT_STATEMENT_CACHE_SIZE);
    this.#blocking = new BlockingConnection(this.#config, options.blockingTimeoutMillis ?? 60_000, this.statementCacheSize);
  }

  /**
   * The pg client options with the password masked (`'***'`), safe to log.
   * @example new PostgresqlDatabase('postgres://app:s3cret@db/app').config.connectionString // 'postgres://app:***@db/app'
   */
  get config(): pg.ClientConfig {
    return redactedConfig(this.#config);
  }

  /** The real pg client options, password included: for subclasses that open their own clients (the pool). */
  protected get clientConfig(): pg.ClientConfig {
    return this.#config;
  }

  /**
   * `error` with this connection's password masked wherever it appears (pg and `new URL()` may quote the
   * connection string). For subclasses that open connections themselves.
   */
  protected redact(error: unknown): unknown {
    return redactSecrets(error, this.#secrets);
  }

  /** What `util.inspect` and `console.log` print: the class and where it connects, never the password. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.#describe();
  }

  #describe(): string {
    const c = this.config;
    const where = c.connectionString ?? `${c.user ?? ''}@${c.host ?? ''}${c.port ? `:${c.port}` : ''}/${c.database ?? ''}`;
    return `${this.constructor.name} { ${where}${this.isClosed ? ', closed' : ''} }`;
  }

  /** JSON.stringify(db): the redacted config, never the password. */
  toJSON(): { readonly backend: string; readonly config: pg.ClientConfig } {
    return { backend: this.constructor.name, config: this.config };
  }

  /** `String(db)`: as `util.inspect`. */
  override toString(): string {
    return this.#describe();
  }

  async #connected(): Promise<pg.Client> {
    if (this.#client) return this.#client;
    const client = new pg.Client(this.#config);
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
      throw this.redact(error);
    }
  }

  /**
   * Core's view of one pg client: raw-text statements (through its prepared
   * statement cache) and cursors. Made once per client and kept as long as
   * the client lives, so the pooled backend, which reuses it, allocates
   * nothing per checkout.
   */
  protected connectionFor(client: pg.ClientBase): Connection {
    const known = this.#connections.get(client);
    if (known) return known;
    const cache = this.statementCacheSize > 0 ? new StatementCache(this.statementCacheSize) : undefined;
    let streaming = false;
    const connection: Connection = {
      query: (statement: Statement) => {
        if (streaming) return Promise.reject(new Error(STREAMING_BUSY));
        return runQuery(client, statement, cache);
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
    this.#connections.set(client, connection);
    return connection;
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
    try {
      return this.#blocking.query(statement);
    } catch (error) {
      // The worker opens its connection on first use; its login error may quote the connection string.
      throw this.redact(error);
    }
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

function checkCacheSize(size: number): number {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new TypeError(`statementCacheSize must be a non-negative integer (0 turns prepared statements off), received ${String(size)}`);
  }
  return size;
}
