import { chmodSync, chownSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, killGroup, processStartTime, waitForEnd } from './process-liveness.js';
import type { ServerUser } from './server-user.js';

/** Prefix of every server's temporary folder (data directory, password file, owner record). */
export const WORK_DIR_PREFIX = 'pewit-server-';
const OWNER_FILE = 'owner.json';

interface Owner {
  readonly pid: number;
  readonly started: string | undefined;
}

/**
 * A fresh 0700 folder for one server, owned by the user the server runs as, with a record of the process that
 * made it: a later run removes it (and stops its server) once that process is gone, say after `kill -9`.
 *
 * @example createWorkDir(tmpdir(), serverUser()) // '/tmp/pewit-server-Ab12Cd'
 */
export function createWorkDir(root: string, user: ServerUser | undefined): string {
  const dir = mkdtempSync(join(root, WORK_DIR_PREFIX));
  const owner: Owner = { pid: process.pid, started: processStartTime(process.pid) };
  writeFileSync(join(dir, OWNER_FILE), JSON.stringify(owner));
  chmodSync(dir, 0o700);
  if (user) chownSync(dir, user.uid, user.gid);
  return dir;
}

function ownerGone(dir: string): boolean {
  let owner: Owner;
  try {
    owner = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as Owner;
  } catch {
    // No record: a starter between mkdtemp and writing it, or a foreign folder; only an old one is ours to remove.
    return Date.now() - statSync(dir).mtimeMs > 3_600_000;
  }
  if (!isAlive(owner.pid)) return true;
  const started = processStartTime(owner.pid);
  return owner.started !== undefined && started !== undefined && started !== owner.started;
}

/**
 * The process a pid file names when it still runs and its command line mentions `mentioned` (checked where /proc
 * exists): the postmaster of `data/` (postmaster.pid), or a PgBouncer of the folder (pgbouncer.pid).
 */
function processOf(pidFile: string, mentioned: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(mentioned)) return undefined;
  } catch {
    // no /proc (macOS): the pid file is the only evidence
  }
  return pid;
}

/**
 * Removes the folders of servers (and PgBouncers) whose starter died without stopping them (a killed test run,
 * `kill -9` of `npm start`), stopping such a process first. Folders of live starters, other users' folders and anything not
 * made by {@link createWorkDir} are left alone. Returns the folders it removed.
 */
export async function sweepStaleWorkDirs(root: string): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(root).filter((name) => name.startsWith(WORK_DIR_PREFIX));
  } catch {
    return removed;
  }
  for (const name of names) {
    const dir = join(root, name);
    try {
      if (!ownerGone(dir)) continue;
      const running = [processOf(join(dir, 'data', 'postmaster.pid'), join(dir, 'data')), processOf(join(dir, 'pgbouncer.pid'), dir)];
      let ended = true;
      for (const pid of running) {
        if (pid === undefined) continue;
        killGroup(pid, 'SIGKILL');
        ended = (await waitForEnd(pid, 5_000)) && ended;
      }
      if (!ended) continue;
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      removed.push(dir);
    } catch {
      // not ours to remove (another user's folder) or removed by a concurrent sweep
    }
  }
  return removed;
}
