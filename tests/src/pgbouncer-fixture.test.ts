import { existsSync, readFileSync } from 'node:fs';
import { startPgBouncer } from '@pewit/test-support/pgbouncer';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { missingPgBouncer, pgBouncerBinary } from '../../test-support/src/pgbouncer/binary.js';
import { pgBouncerIni } from '../../test-support/src/pgbouncer/config.js';

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
});
