import { spawn } from 'node:child_process';
import { LogLines } from './log-lines.js';
import { killGroup } from './process-liveness.js';
import type { ServerUser } from './server-user.js';

/** How a tool run ended: exit code (or the spawn error's code, e.g. EACCES) and its output. */
export interface ToolRun {
  readonly failure: string | undefined;
  readonly lines: string[];
}

/** The environment of every server process: English messages, which readiness detection and errors rely on. */
export function serverEnv(): NodeJS.ProcessEnv {
  return { ...process.env, LC_MESSAGES: 'C' };
}

/**
 * Runs a PostgreSQL tool (initdb) as `user` to its end, never rejecting: a spawn error (EACCES, ENOENT) is a
 * failure like a non-zero exit. Killed with its process group after `limitMillis`.
 */
export function runTool(command: string, args: readonly string[], user: ServerUser | undefined, limitMillis: number): Promise<ToolRun> {
  return new Promise((resolve) => {
    const log = new LogLines();
    const child = spawn(command, args, { uid: user?.uid, gid: user?.gid, env: serverEnv(), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    log.follow(child.stdout);
    log.follow(child.stderr);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
    }, limitMillis);
    const finish = (failure: string | undefined) => {
      clearTimeout(timer);
      resolve({ failure, lines: log.lines });
    };
    child.on('error', (error: NodeJS.ErrnoException) => finish(`${error.code ?? error.message}: ${command}`));
    child.on('close', (code, signal) => {
      if (timedOut) finish(`no result after ${limitMillis / 1000} s`);
      else finish(code === 0 ? undefined : signal ? `killed by ${signal}` : `exit code ${code}`);
    });
  });
}
