import { type Connection, type RawResult, redactSecrets, type ServerInfo, type Statement } from '@pewit/core';
import pg from 'pg';
import { BlockingConnection } from './blocking-connection.js';
import { type ConnectionConfig, redactedConfig, secretsOf, toClientConfig } from './connection-config.js';
import { behindPooler } from './pooler-check.js';
import { openCursor } from './raw-cursor.js';
import { runQuery } from './raw-query.js';
import { explainStartupRefusal } from './startup-refusal.js';
import { StatementCache, type StatementCachePlan } from './statement-cache.js';

// pg would queue the statement behind the open cursor, which only closes when the loop ends: a silent deadlock.
const STREAMING_BUSY =
  'this connection is reading a query.iterator() cursor: a statement sent inside the for await loop (in a transaction) ' +
  'would wait for the loop to end. Collect what you need and run it after the loop.';

/** The default `statementCacheSize`. */
const DEFAULT_STATEMENT_CACHE_SIZE = 100;
/** The default `blockingSpinMicros`: a primary-key lookup's round trip on a 2-core machine (docs/benchmarks.md). */
const DEFAULT_SPIN_MICROS = 300;
/** More than this is no longer a wait for a quick answer: sleeping costs less. */
const MAX_SPIN_MICROS = 10_000;

/** Options of `PostgresqlDatabase` beyond the connection itself. */
export interface PostgresqlDatabaseOptions {
  /**
   * How long a blocking statement may run (default 60 s). The blocking connection sends it as its
   * `statement_timeout` (unless the config sets one), so the server cancels the statement and it fails
   * with OperationalError; a worker that still does not answer shortly after is stopped, and the next
   * blocking call starts a fresh one.
   * @example new PostgresqlDatabase(url, { blockingTimeoutMillis: 5_000 })
   */
  readonly blockingTimeoutMillis?: number | undefined;
  /**
   * How long a blocking call busy-waits for its answer before it sleeps, in microseconds (default 300; 0: it
   * sleeps at once). Waking a sleeping thread costs tens of microseconds, twice per statement (the worker's and
   * the caller's), which is most of a primary-key lookup's extra time on the blocking path; a statement answered
   * within the spin costs neither. The worker thread likewise waits a quarter of it for the next statement. The
   * price is CPU: up to this long per blocking call on a core, spent on nothing when the answer is slower.
   * @example new PostgresqlDatabase(url, { blockingSpinMicros: 0 }) // never busy-wait: the least CPU
   */
  readonly blockingSpinMicros?: number | undefined;
  /**
   * Most named prepared statements kept per connection (default 100). A parameterized statement
   * seen twice on a connection is prepared under a name, so the server skips parse and plan for it
   * from then on; the least recently used is deallocated beyond this many. Set 0 behind PgBouncer in
   * transaction mode (or any pooler that does not pin sessions), where a name prepared on one server
   * session is unknown on the next. Left unset, a connection that finds a pooler between it and the
   * server (the login's process id is not `pg_backend_pid()`) keeps none; a size you set is kept
   * even there (PgBouncer in session mode, or ≥ 1.21 with `max_prepared_statements`).
   * @example new PostgresqlDatabase(url, { statementCacheSize: 0 }) // every statement unnamed, as pg sends it
   */
  readonly statementCacheSize?: number | undefined;
}

/** What `ClientConnections` takes: the backend options, and the pool's server-side `statement_timeout`. */
export interface ClientConnectionsOptions extends PostgresqlDatabaseOptions {
  /** `statement_timeout` for every connection, the blocking one included. */
  readonly statementTimeoutMillis?: number | undefined;
  /** How query events name this server (default `'primary'`; a replica set names its members `'replica:<n>'`). */
  readonly serverName?: string | undefined;
}

/**
 * What both node-postgres backends share, composed by each: the pg client
 * config (and its secrets, kept out of errors and output), core's view of a
 * pg client (raw-text statements through its prepared-statement cache, and
 * cursors), and the blocking connection. A backend's driver decides only
 * which clients exist and who holds them.
 *
 * @example
 * const connections = new ClientConnections('postgres://localhost/app', { statementCacheSize: 50 });
 * await connections.wrap(client).query({ text: 'SELECT 1', values: [] }); // SELECT 1, text cells back
 */
export class ClientConnections {
  // Private, so util.inspect, console.log and JSON.stringify never see the password.
  readonly #config: pg.ClientConfig;
  readonly #secrets: readonly string[];
  /** Core's view of each pg client, made once per client and kept as long as the client lives. */
  readonly #wrapped = new WeakMap<pg.ClientBase, Connection>();
  readonly #blocking: BlockingConnection;
  /** The `statementCacheSize` in effect (0: no prepared statements). */
  readonly statementCacheSize: number;
  /** The server these connections talk to, for query events and tracing. */
  readonly server: ServerInfo;
  /** Each connection's cache size, and whether a pooled connection keeps none (the size was not chosen). */
  readonly #cachePlan: StatementCachePlan;

  constructor(config: ConnectionConfig, options: ClientConnectionsOptions = {}) {
    const clientConfig = toClientConfig(config);
    const timeout = options.statementTimeoutMillis;
    this.#config = timeout === undefined ? clientConfig : { ...clientConfig, statement_timeout: timeout };
    this.#secrets = secretsOf(this.#config);
    this.statementCacheSize = checkCacheSize(options.statementCacheSize ?? DEFAULT_STATEMENT_CACHE_SIZE);
    this.server = serverOf(this.#config, options.serverName ?? 'primary');
    this.#cachePlan = { size: this.statementCacheSize, unlessPooled: options.statementCacheSize === undefined };
    this.#blocking = new BlockingConnection(this.#config, {
      timeoutMillis: options.blockingTimeoutMillis ?? 60_000,
      statementCache: this.#cachePlan,
      spinMicros: checkSpinMicros(options.blockingSpinMicros ?? DEFAULT_SPIN_MICROS),
    });
  }

  /** The real pg client options, password included: only for opening clients. */
  get clientConfig(): pg.ClientConfig {
    return this.#config;
  }

  /** The pg client options with the password masked (`'***'`), safe to log. */
  get redactedConfig(): pg.ClientConfig {
    return redactedConfig(this.#config);
  }

  /**
   * `error` with the password masked wherever it appears (pg and `new URL()` may quote the connection string),
   * and, when a pooler refused a startup parameter at login, with what to do about it (`startup-refusal.ts`).
   */
  redact(error: unknown): unknown {
    return explainStartupRefusal(redactSecrets(error, this.#secrets));
  }

  /**
   * Core's view of one pg client: raw-text statements (through its prepared
   * statement cache) and cursors. Made once per client, so a pool, whose
   * clients come and go, allocates nothing per checkout.
   */
  wrap(client: pg.ClientBase): Connection {
    const known = this.#wrapped.get(client);
    if (known) return known;
    const { size, unlessPooled } = this.#cachePlan;
    let cache = size > 0 && !unlessPooled ? new StatementCache(size) : undefined;
    // With the default size, the first statement waits for one look at what answered the login (pooler-check.ts).
    let checking = size > 0 && unlessPooled;
    let streaming = false;
    const run = (statement: Statement, prelude?: readonly string[]) => {
      if (streaming) return Promise.reject(new Error(STREAMING_BUSY));
      if (!checking) return runQuery(client, statement, cache, prelude);
      return behindPooler(client).then((pooled) => {
        checking = false;
        if (!pooled) cache = new StatementCache(size);
        return runQuery(client, statement, cache, prelude);
      });
    };
    const connection: Connection = {
      query: (statement: Statement) => run(statement),
      queryAfter: (prelude: readonly string[], statement: Statement) => run(statement, prelude),
      cursor: (statement: Statement) => {
        if (streaming) throw new Error(STREAMING_BUSY);
        streaming = true;
        return openCursor(client, statement, () => {
          streaming = false;
        });
      },
      processId: (client as unknown as { processID?: number }).processID,
      server: this.server,
    };
    this.#wrapped.set(client, connection);
    return connection;
  }

  /** One statement on the blocking connection (opened on first use). */
  sendBlocking(statement: Statement): RawResult {
    try {
      return this.#blocking.query(statement);
    } catch (error) {
      // The worker opens its connection on first use; its login error may quote the connection string.
      throw this.redact(error);
    }
  }

  /** Closes the blocking connection's worker and session. */
  closeBlocking(): Promise<void> {
    return this.#blocking.close();
  }
}

/**
 * Host, port and database as pg resolves them (URL, options, then PG* variables and defaults), without connecting.
 * A config pg cannot read (a malformed URL) names only the server: its error belongs to the first connection,
 * which reports it with the password hidden.
 */
function serverOf(config: pg.ClientConfig, name: string): ServerInfo {
  try {
    const probe = new pg.Client(config);
    return { name, host: probe.host, port: probe.port, database: probe.database };
  } catch {
    return { name };
  }
}

function checkSpinMicros(micros: number): number {
  if (!Number.isFinite(micros) || micros < 0 || micros > MAX_SPIN_MICROS) {
    throw new TypeError(`blockingSpinMicros must be a number from 0 (never busy-wait) to ${MAX_SPIN_MICROS}, received ${String(micros)}`);
  }
  return micros;
}

function checkCacheSize(size: number): number {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new TypeError(`statementCacheSize must be a non-negative integer (0 turns prepared statements off), received ${String(size)}`);
  }
  return size;
}
