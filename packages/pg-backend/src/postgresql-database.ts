import { ClientConnections, type PostgresqlDatabaseOptions } from './client-connections.js';
import type { ConnectionConfig } from './connection-config.js';
import { NodePostgresDatabase } from './node-postgres-database.js';
import { SingleClientDriver } from './single-client-driver.js';

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
export class PostgresqlDatabase extends NodePostgresDatabase {
  constructor(config: ConnectionConfig, options: PostgresqlDatabaseOptions = {}) {
    // Only this backend's own options: a pool option given here (say through connect()) has no effect, as it never had.
    const { blockingTimeoutMillis, blockingSpinMicros, statementCacheSize } = options;
    const connections = new ClientConnections(config, { blockingTimeoutMillis, blockingSpinMicros, statementCacheSize });
    super(connections, new SingleClientDriver(connections));
  }
}
