export { BlockingConnection } from './blocking-connection.js';
export type { ConnectionConfig } from './connection-config.js';
export { toClientConfig } from './connection-config.js';
export { DEFAULT_STATEMENT_CACHE_SIZE, PostgresqlDatabase, type PostgresqlDatabaseOptions } from './postgresql-database.js';
export { queryConfig, RAW_TEXT_TYPES, runQuery, toRawResult } from './raw-query.js';
export { StatementCache } from './statement-cache.js';
