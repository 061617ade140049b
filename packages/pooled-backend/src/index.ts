export type { PoolServerStatus } from './pool-driver.js';
export { PooledPostgresqlDatabase, type PooledPostgresqlDatabaseOptions } from './pooled-postgresql-database.js';
