import { PooledPostgresqlDatabase, type PooledPostgresqlDatabaseOptions } from '@pewit/pooled-backend';
import { adminQuery, withDatabase } from '@pewit/test-support';
import type { PgBouncerFixture } from '@pewit/test-support/pgbouncer';
import { inject } from 'vitest';

/** PgBouncer's server connections per database in these tests, and the clients that share them. */
export const SERVER_CONNECTIONS = 5;
export const CLIENTS = 64;

/** The pooled backend as the docs tell PgBouncer users to open it: 64 client connections, no prepared statements. */
export function bouncedDatabase(bouncer: PgBouncerFixture, database: string, options: PooledPostgresqlDatabaseOptions = {}): PooledPostgresqlDatabase {
  return new PooledPostgresqlDatabase(bouncer.url(database), { max: CLIENTS, statementCacheSize: 0, idleTimeoutMillis: 0, ...options });
}

/** The server's own count of sessions on `database` (PgBouncer's server connections), read directly, not through it. */
export async function serverSessions(database: string): Promise<number> {
  const result = await adminQuery(
    withDatabase(inject('adminUrl'), 'postgres'),
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'",
    [database],
  );
  return result.rows[0].n as number;
}

/** PgBouncer's SHOW CLIENTS / SHOW SERVERS rows of one database. */
export async function bouncerConnections(bouncer: PgBouncerFixture, database: string): Promise<{ clients: number; servers: number }> {
  const [clients, servers] = await Promise.all([bouncer.admin('SHOW CLIENTS'), bouncer.admin('SHOW SERVERS')]);
  const of = (rows: Record<string, unknown>[]) => rows.filter((row) => row.database === database).length;
  return { clients: of(clients), servers: of(servers) };
}
