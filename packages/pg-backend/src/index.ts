export { BlockingConnection } from './blocking-connection.js';
export { ClientConnections, type ClientConnectionsOptions, type PostgresqlDatabaseOptions } from './client-connections.js';
export type { ConnectionConfig } from './connection-config.js';
export { NodePostgresDatabase } from './node-postgres-database.js';
export { PostgresqlDatabase } from './postgresql-database.js';
