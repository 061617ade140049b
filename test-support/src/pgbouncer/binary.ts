import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where Debian's `pgbouncer` package puts the binary; other systems are found on PATH. */
const DEBIAN_PATH = '/usr/sbin/pgbouncer';

/** What to do on a machine without PgBouncer, said once by the global set-up and by every failure. */
export const INSTALL_PGBOUNCER =
  'install PgBouncer to run them: sudo apt-get install -y pgbouncer (Debian/Ubuntu), brew install pgbouncer (macOS), or set PGBOUNCER to its binary';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The PgBouncer binary: `$PGBOUNCER` when set, Debian's `/usr/sbin/pgbouncer`, or the first `pgbouncer` on PATH;
 * `undefined` when there is none.
 *
 * @example pgBouncerBinary() // '/usr/sbin/pgbouncer'
 */
export function pgBouncerBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.PGBOUNCER) return executable(env.PGBOUNCER) ? env.PGBOUNCER : undefined;
  if (executable(DEBIAN_PATH)) return DEBIAN_PATH;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && executable(join(dir, 'pgbouncer'))) return join(dir, 'pgbouncer');
  }
  return undefined;
}

/** Why {@link pgBouncerBinary} found none, and what to do: one line. */
export function missingPgBouncer(env: NodeJS.ProcessEnv = process.env): string {
  const looked = env.PGBOUNCER ? `PGBOUNCER=${env.PGBOUNCER} is not an executable file` : `no ${DEBIAN_PATH}, and no pgbouncer on PATH`;
  return `PgBouncer is not installed (${looked}); ${INSTALL_PGBOUNCER}`;
}
