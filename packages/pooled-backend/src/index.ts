export { PooledPostgresqlDatabase, type PooledPostgresqlDatabaseOptions } from './pooled-postgresql-database.js';
