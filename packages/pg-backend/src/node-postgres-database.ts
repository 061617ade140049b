import { Database, type DatabaseOptions, type Driver } from '@pewit/core';
import type pg from 'pg';
import type { ClientConnections } from './client-connections.js';

/**
 * What both node-postgres databases show of themselves: the redacted config,
 * the cache size in effect, and a printed form without the password. Only
 * presentation lives here; each subclass composes its own driver (one client
 * behind a mutex, or a pool) with the shared `ClientConnections`, and
 * neither inherits the other's transport.
 *
 * @example String(new PostgresqlDatabase('postgres://app:s3cret@db/app')) // 'PostgresqlDatabase { postgres://app:***@db/app }'
 */
export abstract class NodePostgresDatabase extends Database {
  readonly #connections: ClientConnections;
  /**
   * The `statementCacheSize` in effect (0: no prepared statements). Left at its default, a connection that finds a
   * pooler such as PgBouncer between it and the server keeps none all the same.
   */
  readonly statementCacheSize: number;

  protected constructor(connections: ClientConnections, driver: Driver, options: DatabaseOptions = {}) {
    super(driver, options);
    this.#connections = connections;
    this.statementCacheSize = connections.statementCacheSize;
  }

  /**
   * The pg client options with the password masked (`'***'`), safe to log.
   * @example new PostgresqlDatabase('postgres://app:s3cret@db/app').config.connectionString // 'postgres://app:***@db/app'
   */
  get config(): pg.ClientConfig {
    return this.#connections.redactedConfig;
  }

  /** What `util.inspect` and `console.log` print: the class and where it connects, never the password. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.#describe();
  }

  /** JSON.stringify(db): the redacted config, never the password. */
  toJSON(): { readonly backend: string; readonly config: pg.ClientConfig } {
    return { backend: this.constructor.name, config: this.config };
  }

  /** `String(db)`: as `util.inspect`. */
  override toString(): string {
    return this.#describe();
  }

  #describe(): string {
    const c = this.config;
    const where = c.connectionString ?? `${c.user ?? ''}@${c.host ?? ''}${c.port ? `:${c.port}` : ''}/${c.database ?? ''}`;
    return `${this.constructor.name} { ${where}${this.isClosed ? ', closed' : ''} }`;
  }
}
