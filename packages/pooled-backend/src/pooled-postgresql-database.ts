import { ClientConnections, type ConnectionConfig, NodePostgresDatabase, type PostgresqlDatabaseOptions } from '@pewit/pg-backend';
import { PoolDriver, type PoolSettings } from './pool-driver.js';

/** Pool options (pg-pool's names) plus the single-connection backend's options. */
export interface PooledPostgresqlDatabaseOptions extends PostgresqlDatabaseOptions {
  /** Most connections open at once (default 10). */
  readonly max?: number;
  /** Close a connection idle this long (default 10 000 ms; 0 keeps idle connections open). */
  readonly idleTimeoutMillis?: number;
  /** How long to wait for a free connection (or a new one to open) before OperationalError (default 30 000 ms). */
  readonly connectionTimeoutMillis?: number;
  /** Replace connections older than this (default 0: never). */
  readonly maxLifetimeSeconds?: number;
  /** Server-side `statement_timeout` for every connection, the blocking one included. */
  readonly statementTimeoutMillis?: number;
}

/**
 * PostgreSQL through a pool of node-postgres connections (`pg-pool`), for
 * servers. Each statement borrows a connection; each transaction pins one for
 * its whole life, so concurrent transactions run side by side, isolated.
 * Broken connections are discarded and replaced; a connection given back
 * inside a transaction is destroyed rather than reused. The blocking path
 * (`…Sync`) uses one worker connection, as in `PostgresqlDatabase`.
 *
 * @example
 * const db = new PooledPostgresqlDatabase('postgres://localhost/app', { max: 20, idleTimeoutMillis: 10_000 });
 * await Promise.all(ids.map((id) => User.getById(id))); // up to 20 SELECTs at once
 * await db.close(); // waits for checked-out connections, then ends them all
 */
export class PooledPostgresqlDatabase extends NodePostgresDatabase {
  /** The pool settings in effect. */
  readonly poolOptions: Readonly<PoolSettings>;
  readonly #driver: PoolDriver;

  constructor(config: ConnectionConfig, options: PooledPostgresqlDatabaseOptions = {}) {
    const poolOptions: PoolSettings = {
      max: options.max ?? 10,
      idleTimeoutMillis: options.idleTimeoutMillis ?? 10_000,
      connectionTimeoutMillis: options.connectionTimeoutMillis ?? 30_000,
      maxLifetimeSeconds: options.maxLifetimeSeconds ?? 0,
    };
    const connections = new ClientConnections(config, options);
    const driver = new PoolDriver(connections, poolOptions);
    super(connections, driver);
    this.poolOptions = poolOptions;
    this.#driver = driver;
  }

  /** Connections open (idle and checked out). */
  get totalCount(): number {
    return this.#driver.counts.total;
  }

  /** Open connections nobody is using. */
  get idleCount(): number {
    return this.#driver.counts.idle;
  }

  /** Callers waiting for a connection. */
  get waitingCount(): number {
    return this.#driver.counts.waiting;
  }
}
