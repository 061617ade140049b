import { fileURLToPath } from 'node:url';
import { runNode } from '@pewit/test-support';
import { checkDatabase } from '@pewit/test-support/database-failure';
import { type EmbeddedServer, freePort, startEmbeddedServer } from '@pewit/test-support/embedded-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftovers, openTempDir, removeDir } from './embedded-helpers.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const PASSWORD = 's3cret-pw';
// A vitest run inside this one must not believe it is a worker of ours.
const outsideVitest = { VITEST: undefined, VITEST_MODE: undefined, VITEST_POOL_ID: undefined, VITEST_WORKER_ID: undefined, NODE_ENV: undefined };

describe('when DATABASE_URL cannot be used, npm start, the HTTP example and npm test end with one line', { timeout: 120_000 }, () => {
  let downPort: number;
  let downUrl: string;
  let refusing: EmbeddedServer;
  let wrongUrl: string;
  const down = () =>
    `cannot reach PostgreSQL at postgres://app:***@127.0.0.1:${downPort}/app (ECONNREFUSED): start it, or fix DATABASE_URL, or unset DATABASE_URL to use a throwaway embedded PostgreSQL`;
  const refused = () =>
    `PostgreSQL at postgres://postgres:***@127.0.0.1:${refusing.port}/postgres refused the login: password authentication failed for user "postgres"; check the user and password in DATABASE_URL`;

  beforeAll(async () => {
    downPort = await freePort();
    downUrl = `postgres://app:${PASSWORD}@127.0.0.1:${downPort}/app`;
    // A private server, because the shared one may trust every login (DATABASE_URL of a CI run).
    refusing = await startEmbeddedServer();
    wrongUrl = `postgres://postgres:${PASSWORD}@127.0.0.1:${refusing.port}/postgres`;
  });
  afterAll(() => refusing?.stop());

  for (const [name, entry] of [
    ['the tour (npm start)', 'examples/quickstart/dist/main.js'],
    ['the HTTP example', 'examples/http-api/dist/main.js'],
  ] as const) {
    it(`${name}: a server that is down`, async () => {
      const run = await runNode([entry], { cwd: repoRoot, env: { DATABASE_URL: downUrl, PORT: '0' } });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`${down()}\n`);
      expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    });

    it(`${name}: a server that refuses the login`, async () => {
      const run = await runNode([entry], { cwd: repoRoot, env: { DATABASE_URL: wrongUrl, PORT: '0' } });
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(`${refused()}\n`);
      expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    });
  }

  it('npm test (the harness): a server that is down ends the run with that line, before any test file', async () => {
    const run = await runNode(['node_modules/vitest/vitest.mjs', 'run', 'tests/src/slice.test.ts'], {
      cwd: repoRoot,
      env: { ...outsideVitest, DATABASE_URL: downUrl },
      limitMillis: 110_000,
    });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(down());
    expect(run.stdout + run.stderr).not.toContain(PASSWORD);
    expect(run.stdout + run.stderr).not.toContain('Unhandled Error');
    expect(run.stdout).not.toContain('slice.test.ts');
  });

  it('npm test (the harness): the check it runs names a refused login in one line', async () => {
    const error = await checkDatabase(wrongUrl).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error?.message).toBe(refused());
    expect(error?.stack).toBe(refused());
  });
});

describe('two npm start at once, without DATABASE_URL', { timeout: 180_000 }, () => {
  let tmp: string | undefined;
  afterAll(() => removeDir(tmp));

  it('each runs the whole tour on its own embedded server, and nothing is left behind', async () => {
    // Their own TMPDIR, so that what is left there afterwards can only be theirs.
    tmp = openTempDir('pewit-test-two-starts-');
    const env = { DATABASE_URL: '', TMPDIR: tmp };
    const runs = await Promise.all([1, 2].map(() => runNode(['examples/quickstart/dist/main.js'], { cwd: repoRoot, env, limitMillis: 170_000 })));
    const ports = runs.map((run) => /started on port (\d+)/.exec(run.stdout)?.[1]);
    for (const run of runs) {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(/^Tour complete\./);
    }
    expect(ports[0]).toBeDefined();
    expect(ports[0]).not.toBe(ports[1]);
    // As root in a private clone a reusable copy of the binaries stays there on purpose; no server folder may.
    const left = leftovers(tmp);
    expect({ entries: left.entries.filter((name) => !name.startsWith('pewit-embedded-binaries-')), processes: left.processes }).toEqual({
      entries: [],
      processes: [],
    });
  });
});
