import type { Connection, Driver, RawResult, ServerInfo, Statement } from '@pewit/core';
import pg from 'pg';
import type { ClientConnections } from './client-connections.js';
import { Mutex } from './mutex.js';

/**
 * `PostgresqlDatabase`'s transport: one pg client, handed out one user (a
 * statement, a transaction, a cursor) at a time behind a mutex, opened on
 * first use and replaced after it broke; blocking statements go to the
 * shared blocking connection.
 */
export class SingleClientDriver implements Driver {
  readonly #connections: ClientConnections;
  readonly #mutex = new Mutex();
  #client: pg.Client | undefined;
  readonly supportsConcurrentConnections = false;

  constructor(connections: ClientConnections) {
    this.#connections = connections;
  }

  async acquire(): Promise<Connection> {
    await this.#mutex.lock();
    try {
      return this.#connections.wrap(await this.#connected());
    } catch (error) {
      this.#mutex.unlock();
      throw this.#connections.redact(error);
    }
  }

  release(_connection: Connection, error?: Error): void {
    if (error && this.#client) {
      // The connection failed mid-use: drop it rather than hand a broken session to the next caller.
      const broken = this.#client;
      this.#client = undefined;
      broken.end().catch(() => undefined);
    }
    this.#mutex.unlock();
  }

  get blockingServer(): ServerInfo {
    return this.#connections.server;
  }

  sendBlocking(statement: Statement): RawResult {
    return this.#connections.sendBlocking(statement);
  }

  /** Waits for the holder of the client (a statement, a transaction) to finish, then ends both connections. */
  async shutdown(): Promise<void> {
    await this.#mutex.lock();
    try {
      await Promise.all([this.#client?.end(), this.#connections.closeBlocking()]);
      this.#client = undefined;
    } finally {
      this.#mutex.unlock();
    }
  }

  async #connected(): Promise<pg.Client> {
    if (this.#client) return this.#client;
    const client = new pg.Client(this.#connections.clientConfig);
    // An idle connection killed by the server emits 'error'; forget it so the next use reconnects.
    client.on('error', () => {
      if (this.#client === client) this.#client = undefined;
    });
    await client.connect();
    this.#client = client;
    return client;
  }
}
