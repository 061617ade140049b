import { type Connection, mapDatabaseError, OperationalError, type ServerInfo } from '@pewit/core';
import type { ClientConnections } from '@pewit/pg-backend';
import type pg from 'pg';
import Pool from 'pg-pool';

/** The pool settings in effect (pg-pool's names); each server gets a pool of its own with them. */
export interface PoolSettings {
  readonly max: number;
  readonly idleTimeoutMillis: number;
  readonly connectionTimeoutMillis: number;
  readonly maxLifetimeSeconds: number;
}

/** Connections of one pool: open (idle and checked out), idle, and callers waiting for one. */
export interface PoolCounts {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

/**
 * One pg-pool on one server (the primary, or one read replica): a checkout
 * hands out core's view of a pooled client, a release gives it back, or
 * destroys it when it broke, emitted an error, or still holds an open
 * transaction. Statements go through the server's `ClientConnections`.
 */
export class ServerPool {
  readonly connections: ClientConnections;
  readonly #settings: PoolSettings;
  // Private, also so the published types never name pg-pool's (its @types package is a dev dependency).
  readonly #pool: Pool<pg.Client>;
  readonly #checkedOut = new Map<Connection, pg.PoolClient>();
  /** The first 'error' each client emitted: such a client is never handed out or taken back. */
  readonly #broken = new WeakMap<pg.Client, Error>();

  constructor(connections: ClientConnections, settings: PoolSettings) {
    this.connections = connections;
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

  /** The server this pool talks to. */
  get server(): ServerInfo {
    return this.connections.server;
  }

  get counts(): PoolCounts {
    return { total: this.#pool.totalCount, idle: this.#pool.idleCount, waiting: this.#pool.waitingCount };
  }

  /** True while `connection` is checked out of this pool. */
  owns(connection: Connection): boolean {
    return this.#checkedOut.has(connection);
  }

  /** A client of this pool, waiting for one to be free; errors mapped to pewit's classes, passwords masked. */
  async checkout(): Promise<Connection> {
    try {
      for (;;) {
        const client = await this.#pool.connect();
        const broken = this.#broken.get(client);
        if (broken) {
          // Died while being handed over: discard it and take another, the caller never sees it.
          client.release(broken);
          continue;
        }
        const connection = this.connections.wrap(client);
        this.#checkedOut.set(connection, client);
        return connection;
      }
    } catch (error) {
      throw this.#checkoutError(error);
    }
  }

  /** Gives a connection back; false when it is not one of this pool's. */
  release(connection: Connection, error?: Error): boolean {
    const client = this.#checkedOut.get(connection);
    if (!client) return false;
    this.#checkedOut.delete(connection);
    // A session still in (or aborted inside) a transaction would leak it into the next borrower's statements.
    const status = client.getTransactionStatus();
    const inTransaction = status === 'T' || status === 'E';
    const discard = error ?? this.#broken.get(client) ?? (inTransaction ? new Error('connection released inside a transaction') : undefined);
    // A truthy argument makes pg-pool destroy the client; the next checkout opens a fresh one.
    client.release(discard);
    return true;
  }

  /** Ends every client of the pool. */
  end(): Promise<void> {
    return this.#pool.end();
  }

  #checkoutError(error: unknown): Error {
    const { max, connectionTimeoutMillis } = this.#settings;
    if (error instanceof Error && /timeout exceeded when trying to connect/i.test(error.message)) {
      const where = this.server.name === 'primary' ? '' : ` of ${this.server.name}`;
      return new OperationalError(
        `no pooled connection${where} became free within connectionTimeoutMillis (${connectionTimeoutMillis} ms): all ${max} connections of the pool (max: ${max}) stayed checked out. ` +
          'Raise max (within the server’s max_connections) or connectionTimeoutMillis, keep transactions short, and make sure every db.begin() ends with commit() or rollback().',
        {},
        { cause: error },
      );
    }
    return mapDatabaseError(this.connections.redact(error));
  }
}
