import type { AddressInfo } from 'node:net';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { createSchema } from './models.js';
import { createServer } from './server.js';
import { developmentWarnMode } from './warn.js';

/** A running service: its URL and how to stop it. */
export interface Running {
  readonly url: string;
  readonly db: PooledPostgresqlDatabase;
  close(): Promise<void>;
}

/**
 * Connects to `databaseUrl` (default `$DATABASE_URL`), creates the tables if
 * missing and listens on `port` (default `$PORT`, else 3000; 0 picks a free one).
 */
export async function start(options: { databaseUrl?: string; port?: number } = {}): Promise<Running> {
  const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('start(): no database: set DATABASE_URL (e.g. postgres://user@localhost:5432/app) or pass { databaseUrl }');
  const db = new PooledPostgresqlDatabase(databaseUrl, { max: 10 });
  await createSchema(db);
  const warn = await developmentWarnMode(db);
  const server = createServer(db);
  await new Promise<void>((resolve) => server.listen(options.port ?? Number(process.env.PORT ?? 3000), resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    close: async () => {
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      warn?.disable();
      await db.close();
    },
  };
}
