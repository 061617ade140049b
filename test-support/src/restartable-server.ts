import { EmbeddedCluster } from './embedded/cluster.js';

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
  const cluster = await EmbeddedCluster.create();
  try {
    await cluster.start();
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  // Restarts keep the port: clients reconnect to the URL they were given.
  const url = cluster.url;
  return {
    url,
    stop: () => cluster.stop(),
    start: () => cluster.start(),
    destroy: () => cluster.destroy(),
  };
}
