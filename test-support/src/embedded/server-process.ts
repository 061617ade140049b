import { type ChildProcess, spawn } from 'node:child_process';
import { LogLines } from './log-lines.js';
import { killGroup } from './process-liveness.js';
import { serverEnv } from './run-tool.js';
import type { ServerUser } from './server-user.js';

/** How to start a server process (PostgreSQL, PgBouncer) and tell that it is ready. */
export interface ServerProcessSpec {
  readonly command: string;
  readonly args: readonly string[];
  /** The user to run as (when we are root); undefined runs as ourselves. */
  readonly user: ServerUser | undefined;
  /** True for the log line that says the server is ready. */
  readonly isReady: (line: string) => boolean;
  readonly timeoutMillis: number;
  /** The messages of a failed start: the full timeout message, and the starts of the other two. */
  readonly messages: { readonly timedOut: string; readonly cannotRun: string; readonly didNotStart: string };
  /** Called once spawned, with the process and a promise of its end, so the caller can stop it meanwhile. */
  readonly onSpawn: (child: ChildProcess, exited: Promise<void>) => void;
  /** Called once a start that failed has no process left. */
  readonly onGone: () => void;
}

/** Why a server process did not become ready, with its log lines so far; callers wrap it in their own error. */
export class StartFailure extends Error {
  override name = 'StartFailure';
  constructor(
    readonly summary: string,
    readonly logLines: readonly string[],
  ) {
    super(summary);
  }
}

/**
 * Starts a server in its own process group (Ctrl-C in a terminal reaches us, not it, and one kill stops it and its
 * children) and resolves once it logs that it is ready. On a timeout, a spawn error or an early exit, it kills the
 * group and rejects with a `StartFailure` only once the process is gone, so no caller sees it still running.
 *
 * @example
 * await startServerProcess({ command: 'pgbouncer', args: [ini], user, isReady: (l) => l.includes('process up'), … });
 */
export function startServerProcess(spec: ServerProcessSpec): Promise<ChildProcess> {
  const log = new LogLines();
  const child = spawn(spec.command, spec.args, {
    uid: spec.user?.uid,
    gid: spec.user?.gid,
    env: serverEnv(),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  log.follow(child.stdout);
  log.follow(child.stderr);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  spec.onSpawn(child, exited);
  return new Promise((resolve, reject) => {
    const fail = (summary: string) => {
      cleanup();
      if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
      // A spawn that failed has no process to wait for.
      const gone = child.pid === undefined || child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : exited;
      void gone.then(() => {
        spec.onGone();
        reject(new StartFailure(summary, log.lines));
      });
    };
    const timer = setTimeout(() => fail(spec.messages.timedOut), spec.timeoutMillis);
    const stopListening = log.onLine((line) => {
      if (!spec.isReady(line)) return;
      cleanup();
      // Our own exit must not wait for the server (the exit hook stops it), so it holds no reference.
      child.unref();
      for (const stream of [child.stdout, child.stderr]) (stream as { unref?: () => void } | null)?.unref?.();
      resolve(child);
    });
    const onError = (error: NodeJS.ErrnoException) => fail(`${spec.messages.cannotRun} (${error.code ?? error.message}: ${spec.command})`);
    const onClose = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`${spec.messages.didNotStart} (${signal ? `killed by ${signal}` : `exit code ${code}`})`);
    const cleanup = () => {
      clearTimeout(timer);
      stopListening();
      child.off('error', onError);
      child.off('close', onClose);
    };
    child.on('error', onError);
    child.on('close', onClose);
  });
}
