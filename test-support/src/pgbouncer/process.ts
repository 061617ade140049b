import type { ChildProcess } from 'node:child_process';
import { chownSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../embedded/cluster.js';
import { forget, type LiveServer, track } from '../embedded/exit-cleanup.js';
import { killGroup } from '../embedded/process-liveness.js';
import { EmbeddedServerError } from '../embedded/server-error.js';
import { StartFailure, startServerProcess } from '../embedded/server-process.js';
import { serverUser } from '../embedded/server-user.js';
import { createWorkDir, sweepStaleWorkDirs } from '../embedded/work-dir.js';
import { missingPgBouncer, pgBouncerBinary } from './binary.js';
import { authFileLine, type PgBouncerSettings, pgBouncerIni } from './config.js';

const READY = 'process up: PgBouncer';
const ADDRESS_IN_USE = /Address already in use/;
const READY_MILLIS = 30_000;

/** A running PgBouncer in front of a test server. */
export interface PgBouncerInstance {
  /** The port it listens on (127.0.0.1). */
  readonly port: number;
  /** The pgbouncer.ini it runs with. */
  readonly ini: string;
  /** Its process id while it runs. */
  readonly pid: number | undefined;
  /** Its temporary folder (pgbouncer.ini, auth file, pid file); deleted by `stop()`. */
  readonly workDir: string;
  /** URL of `database` through PgBouncer, as the server URL's user. */
  url(database: string): string;
  /** URL of the admin console (`SHOW POOLS`, `SHOW SERVERS`, …; simple queries only). */
  readonly adminUrl: string;
  /** Stops PgBouncer (its clients are disconnected) and deletes its folder. */
  stop(): Promise<void>;
}

/** PgBouncer is not installed, or did not start; the message says what to do. */
export class PgBouncerError extends EmbeddedServerError {
  override name = 'PgBouncerError';
}

/**
 * Starts a real PgBouncer on a free port of 127.0.0.1, forwarding every database to the server of `serverUrl` and
 * logging in there as that URL's user, with its own pgbouncer.ini and auth file in a temporary folder. As root it
 * runs as the embedded server's `postgres` user (PgBouncer refuses root). It is stopped at exit whatever happens,
 * and a folder left by a killed run is removed by the next start.
 *
 * @example
 * const bouncer = await startPgBouncer(adminUrl, { poolSize: 5 });
 * new PooledPostgresqlDatabase(bouncer.url('app'), { statementCacheSize: 0 }); // postgres://postgres:…@127.0.0.1:41234/app
 * await bouncer.stop();
 */
export async function startPgBouncer(serverUrl: string, settings: PgBouncerSettings = {}): Promise<PgBouncerInstance> {
  const binary = pgBouncerBinary();
  if (!binary) throw new PgBouncerError(missingPgBouncer());
  const server = new URL(serverUrl);
  const user = decodeURIComponent(server.username) || 'postgres';
  // A server with trust authentication takes any password; PgBouncer's clients still need one.
  const password = decodeURIComponent(server.password) || 'pewit';
  const root = tmpdir();
  await sweepStaleWorkDirs(root);
  const runAs = serverUser();
  const workDir = createWorkDir(root, runAs);
  const live: LiveServer = { pid: undefined, workDir };
  track(live);
  const file = (name: string, text: string) => {
    const path = join(workDir, name);
    writeFileSync(path, text, { mode: 0o600 });
    if (runAs) chownSync(path, runAs.uid, runAs.gid);
    return path;
  };
  const authFile = file('userlist.txt', authFileLine(user, password));
  const cleanUp = () => {
    rmSync(workDir, { recursive: true, force: true, maxRetries: 3 });
    forget(live);
  };
  try {
    for (let attempt = 1; ; attempt++) {
      const listenPort = await freePort();
      const ini = pgBouncerIni(
        {
          serverHost: server.hostname || '127.0.0.1',
          serverPort: Number(server.port || 5432),
          listenPort,
          authFile,
          pidFile: join(workDir, 'pgbouncer.pid'),
          user,
        },
        settings,
      );
      const iniFile = file('pgbouncer.ini', ini);
      try {
        const child = await run(binary, iniFile, runAs, live);
        const url = (database: string) => {
          const u = new URL(`postgres://127.0.0.1:${listenPort}/`);
          u.username = encodeURIComponent(user);
          u.password = encodeURIComponent(password);
          u.pathname = `/${encodeURIComponent(database)}`;
          return u.toString();
        };
        return {
          port: listenPort,
          ini,
          pid: child.pid,
          workDir,
          url,
          adminUrl: url('pgbouncer'),
          stop: async () => {
            await stop(child);
            live.pid = undefined;
            cleanUp();
          },
        };
      } catch (error) {
        // A port picked free was taken before PgBouncer bound it: pick another.
        const taken = error instanceof PgBouncerError && error.logLines.some((line) => ADDRESS_IN_USE.test(line));
        if (!taken || attempt >= 3) throw error;
      }
    }
  } catch (error) {
    cleanUp();
    throw error;
  }
}

/** Runs PgBouncer in its own process group until it logs that it is up; on failure none of it is left. */
function run(binary: string, iniFile: string, runAs: ReturnType<typeof serverUser>, live: LiveServer): Promise<ChildProcess> {
  return startServerProcess({
    command: binary,
    args: [iniFile],
    user: runAs,
    isReady: (line) => line.includes(READY),
    timeoutMillis: READY_MILLIS,
    messages: {
      timedOut: `PgBouncer (${binary}) was not up after ${READY_MILLIS / 1000} s`,
      cannotRun: 'cannot run PgBouncer',
      didNotStart: 'PgBouncer did not start',
    },
    onSpawn: (child) => {
      live.pid = child.pid;
    },
    onGone: () => {
      live.pid = undefined;
    },
  }).catch((error: unknown) => {
    throw error instanceof StartFailure ? new PgBouncerError(error.summary, error.logLines) : error;
  });
}

/** SIGTERM is PgBouncer's immediate shutdown (it closes client and server connections); SIGKILL if it lingers. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<boolean>((resolve) => child.once('close', () => resolve(true)));
  child.ref();
  try {
    process.kill(child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  const ended = await Promise.race([exited, new Promise<false>((resolve) => setTimeout(() => resolve(false), 10_000).unref())]);
  if (!ended) {
    killGroup(child.pid, 'SIGKILL');
    await exited;
  }
}
