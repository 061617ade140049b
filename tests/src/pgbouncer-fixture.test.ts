import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sweepStaleWorkDirs, WORK_DIR_PREFIX } from '@pewit/test-support/embedded-server';
import { startPgBouncer } from '@pewit/test-support/pgbouncer';
import pg from 'pg';
import { describe, expect, inject, it, onTestFinished } from 'vitest';
import { missingPgBouncer, pgBouncerBinary } from '../../test-support/src/pgbouncer/binary.js';
import { pgBouncerIni } from '../../test-support/src/pgbouncer/config.js';
import { openTempDir, removeDir } from './embedded-helpers.js';

const skipped = inject('pgbouncerBinary') === '' && process.env.CI !== 'true';
const target = {
  serverHost: '127.0.0.1',
  serverPort: 5432,
  listenPort: 6432,
  authFile: '/tmp/x/userlist.txt',
  pidFile: '/tmp/x/pgbouncer.pid',
  user: 'postgres',
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('the PgBouncer of the tests (test-support)', () => {
  it('says how to install PgBouncer when PGBOUNCER names no executable', () => {
    expect(pgBouncerBinary({ PGBOUNCER: '/nonexistent/pgbouncer', PATH: '' })).toBeUndefined();
    expect(missingPgBouncer({ PGBOUNCER: '/nonexistent/pgbouncer' })).toMatch(
      /PGBOUNCER=\/nonexistent\/pgbouncer is not an executable file\); .*apt-get install -y pgbouncer/,
    );
  });

  it('writes transaction mode, 5 server connections and 200 clients by default, and refuses a value that could add a line', () => {
    const ini = pgBouncerIni(target);
    expect(ini).toContain('* = host=127.0.0.1 port=5432\n');
    for (const line of ['pool_mode = transaction', 'default_pool_size = 5', 'max_client_conn = 200', 'ignore_startup_parameters = statement_timeout'])
      expect(ini.split('\n')).toContain(line);
    expect(pgBouncerIni(target, { ignoreStartupParameters: [] })).not.toContain('ignore_startup_parameters');
    expect(() => pgBouncerIni(target, { ignoreStartupParameters: ['x\nadmin_users = someone'] })).toThrow(TypeError);
  });

  it.skipIf(skipped)('runs as a non-root user, answers through its port, and leaves no process or folder after stop()', async () => {
    const bouncer = await startPgBouncer(inject('adminUrl'));
    const pid = bouncer.pid as number;
    try {
      expect(alive(pid)).toBe(true);
      const client = new pg.Client({ connectionString: bouncer.url('postgres') });
      await client.connect();
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await client.end();
      if (process.getuid?.() === 0) {
        const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
        expect(uid).not.toBe(0);
      }
    } finally {
      await bouncer.stop();
    }
    expect(alive(pid)).toBe(false);
    expect(existsSync(bouncer.workDir)).toBe(false);
  });

  it('after its starter was killed, the next start stops the PgBouncer its pid file names and removes the folder', async () => {
    const root = openTempDir('pewit-test-bouncer-sweep-');
    onTestFinished(() => removeDir(root));
    const dir = join(root, `${WORK_DIR_PREFIX}killed`);
    mkdirSync(dir);
    // A starter that is gone, and a process whose command line names the folder, as PgBouncer's names its ini.
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    writeFileSync(join(dir, 'owner.json'), JSON.stringify({ pid: Number(gone.stdout.trim()), started: undefined }));
    const orphan = spawn('sh', ['-c', 'sleep 600', join(dir, 'pgbouncer.ini')], { detached: true, stdio: 'ignore' });
    const ended = new Promise((resolve) => orphan.once('exit', resolve));
    onTestFinished(() => {
      if (alive(orphan.pid as number)) process.kill(orphan.pid as number, 'SIGKILL');
    });
    writeFileSync(join(dir, 'pgbouncer.pid'), `${orphan.pid}\n`);
    expect(await sweepStaleWorkDirs(root)).toEqual([dir]);
    await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    expect(alive(orphan.pid as number)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });
});
