import { type Connection, mapDatabaseError, OperationalError } from '@pewit/core';
import { type ConnectionConfig, PostgresqlDatabase, type PostgresqlDatabaseOptions, toClientConfig } from '@pewit/pg-backend';
import type pg from 'pg';
import Pool from 'pg-pool';
import { Drain } from './drain.js';

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
export class PooledPostgresqlDatabase extends PostgresqlDatabase {
  /** The pool settings in effect. */
  readonly poolOptions: Readonly<
    Required<Pick<PooledPostgresqlDatabaseOptions, 'max' | 'idleTimeoutMillis' | 'connectionTimeoutMillis' | 'maxLifetimeSeconds'>>
  >;
  readonly #pool: Pool<pg.Client>;
  readonly #checkedOut = new Map<Connection, pg.PoolClient>();
  /** The first 'error' each client emitted: such a client is never handed out or taken back. */
  readonly #broken = new WeakMap<pg.Client, Error>();
  /** Counts connections being acquired or checked out, so `close()` can wait for them. */
  readonly #busy = new Drain();

  constructor(config: ConnectionConfig, options: PooledPostgresqlDatabaseOptions = {}) {
    const clientConfig = toClientConfig(config);
    super(options.statementTimeoutMillis === undefined ? clientConfig : { ...clientConfig, statement_timeout: options.statementTimeoutMillis }, {
      ...(options.blockingTimeoutMillis === undefined ? {} : { blockingTimeoutMillis: options.blockingTimeoutMillis }),
      ...(options.statementCacheSize === undefined ? {} : { statementCacheSize: options.statementCacheSize }),
    });
    this.poolOptions = {
      max: options.max ?? 10,
      idleTimeoutMillis: options.idleTimeoutMillis ?? 10_000,
      connectionTimeoutMillis: options.connectionTimeoutMillis ?? 30_000,
      maxLifetimeSeconds: options.maxLifetimeSeconds ?? 0,
    };
    this.#pool = new Pool({ ...this.clientConfig, ...this.poolOptions });
    // pg-pool has already removed an idle client that errored (killed by the server, network gone); without a listener the error would crash the process.
    this.#pool.on('error', () => undefined);
    // pg-pool listens for errors only while a client is idle. A client killed while checked out, or in the instant it is
    // handed over (a FATAL in the same network packet as its last reply), would emit 'error' to nobody and crash the process.
    this.#pool.on('connect', (client) => {
      client.on('error', (error) => {
        if (!this.#broken.has(client)) this.#broken.set(client, error);
      });
    });
  }

  /** True unless `max` is 1: a second pooled connection can run queries while a cursor holds one. */
  override get supportsConcurrentConnections(): boolean {
    return this.poolOptions.max > 1;
  }

  /** Connections open (idle and checked out). */
  get totalCount(): number {
    return this.#pool.totalCount;
  }

  /** Open connections nobody is using. */
  get idleCount(): number {
    return this.#pool.idleCount;
  }

  /** Callers waiting for a connection. */
  get waitingCount(): number {
    return this.#pool.waitingCount;
  }

  protected override async acquire(): Promise<Connection> {
    this.#busy.enter();
    try {
      for (;;) {
        const client = await this.#pool.connect();
        const broken = this.#broken.get(client);
        if (broken) {
          // Died while being handed over: discard it and take another, the caller never sees it.
          client.release(broken);
          continue;
        }
        const connection = this.connectionFor(client);
        this.#checkedOut.set(connection, client);
        return connection;
      }
    } catch (error) {
      this.#busy.leave();
      throw this.#acquireError(error);
    }
  }

  protected override release(connection: Connection, error?: Error): void {
    const client = this.#checkedOut.get(connection);
    if (!client) return;
    this.#checkedOut.delete(connection);
    // A session still in (or aborted inside) a transaction would leak it into the next borrower's statements.
    const status = client.getTransactionStatus();
    const inTransaction = status === 'T' || status === 'E';
    const discard = error ?? this.#broken.get(client) ?? (inTransaction ? new Error('connection released inside a transaction') : undefined);
    // A truthy argument makes pg-pool destroy the client; the next acquire opens a fresh one.
    client.release(discard);
    this.#busy.leave();
  }

  protected override async shutdown(): Promise<void> {
    await this.#busy.drained();
    await Promise.all([this.#pool.end(), super.shutdown()]);
  }

  #acquireError(error: unknown): Error {
    const { max, connectionTimeoutMillis } = this.poolOptions;
    if (error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message)) {
      return new OperationalError(
        `no pooled connection became free within connectionTimeoutMillis (${connectionTimeoutMillis} ms): all ${max} connections of the pool (max: ${max}) stayed checked out. ` +
          'Raise max (within the server’s max_connections) or connectionTimeoutMillis, keep transactions short, and make sure every db.begin() ends with commit() or rollback().',
        {},
        { cause: error },
      );
    }
    return mapDatabaseError(this.redact(error));
  }
}
