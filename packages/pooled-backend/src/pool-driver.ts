import { type Connection, type Driver, mapDatabaseError, OperationalError, type RawResult, type ServerInfo, type Statement } from '@pewit/core';
import type { ClientConnections } from '@pewit/pg-backend';
import type pg from 'pg';
import Pool from 'pg-pool';
import { Drain } from './drain.js';

/** The pool settings in effect (pg-pool's names). */
export interface PoolSettings {
  readonly max: number;
  readonly idleTimeoutMillis: number;
  readonly connectionTimeoutMillis: number;
  readonly maxLifetimeSeconds: number;
}

/**
 * `PooledPostgresqlDatabase`'s transport: each acquire checks a client out
 * of pg-pool, each release gives it back, or destroys it when it broke,
 * emitted an error, or still holds an open transaction. Statements go
 * through the shared `ClientConnections`, as on the single-connection
 * backend; so do blocking statements.
 */
export class PoolDriver implements Driver {
  readonly #connections: ClientConnections;
  readonly #settings: PoolSettings;
  // Private, also so the published types never name pg-pool's (its @types package is a dev dependency).
  readonly #pool: Pool<pg.Client>;
  readonly #checkedOut = new Map<Connection, pg.PoolClient>();
  /** The first 'error' each client emitted: such a client is never handed out or taken back. */
  readonly #broken = new WeakMap<pg.Client, Error>();
  /** Counts connections being acquired or checked out, so `shutdown()` can wait for them. */
  readonly #busy = new Drain();

  constructor(connections: ClientConnections, settings: PoolSettings) {
    this.#connections = connections;
    this.#settings = settings;
    this.#pool = new Pool({ ...connections.clientConfig, ...settings });
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
  get supportsConcurrentConnections(): boolean {
    return this.#settings.max > 1;
  }

  /** Connections open (idle and checked out), idle, and callers waiting for one. */
  get counts(): { readonly total: number; readonly idle: number; readonly waiting: number } {
    return { total: this.#pool.totalCount, idle: this.#pool.idleCount, waiting: this.#pool.waitingCount };
  }

  async acquire(): Promise<Connection> {
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
        const connection = this.#connections.wrap(client);
        this.#checkedOut.set(connection, client);
        return connection;
      }
    } catch (error) {
      this.#busy.leave();
      throw this.#acquireError(error);
    }
  }

  release(connection: Connection, error?: Error): void {
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

  get blockingServer(): ServerInfo {
    return this.#connections.server;
  }

  sendBlocking(statement: Statement): RawResult {
    return this.#connections.sendBlocking(statement);
  }

  /** Waits for checked-out connections to come back, then ends the pool and the blocking connection. */
  async shutdown(): Promise<void> {
    await this.#busy.drained();
    await Promise.all([this.#pool.end(), this.#connections.closeBlocking()]);
  }

  #acquireError(error: unknown): Error {
    const { max, connectionTimeoutMillis } = this.#settings;
    if (error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message)) {
      return new OperationalError(
        `no pooled connection became free within connectionTimeoutMillis (${connectionTimeoutMillis} ms): all ${max} connections of the pool (max: ${max}) stayed checked out. ` +
          'Raise max (within the server’s max_connections) or connectionTimeoutMillis, keep transactions short, and make sure every db.begin() ends with commit() or rollback().',
        {},
        { cause: error },
      );
    }
    return mapDatabaseError(this.#connections.redact(error));
  }
}
