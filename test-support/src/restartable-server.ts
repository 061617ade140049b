import { rmSync } from 'node:fs';
import { createEmbeddedPostgres } from './embedded-server.js';

/** A dedicated embedded PostgreSQL a test may stop and start again (data kept) to simulate a server restart. */
export interface RestartableServer {
  /** Superuser URL of the `postgres` database. */
  readonly url: string;
  /** Stops the server (a fast shutdown: open sessions are terminated). */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

/**
 * Starts a private embedded server, separate from the shared test server, so
 * that stopping it affects only the test that asked for it.
 *
 * @example
 * const server = await startRestartableServer();
 * await server.stop(); await server.start(); // the pool must recover
 */
export async function startRestartableServer(): Promise<RestartableServer> {
  const { server, parent, port } = await createEmbeddedPostgres({ persistent: true });
  await server.initialise();
  await server.start();
  let running = true;
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await server.stop();
      running = false;
    },
    start: async () => {
      await server.start();
      running = true;
    },
    destroy: async () => {
      if (running) await server.stop();
      running = false;
      rmSync(parent, { recursive: true, force: true });
    },
  };
}
