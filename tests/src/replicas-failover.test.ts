import { connect } from '@pewit/core';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { adminQuery, recordQueries } from '@pewit/test-support';
import { freePort } from '@pewit/test-support/embedded-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, inRecovery, named, replicaModels, until, useReplicatedServers } from './replicas-helpers.js';

const servers = useReplicatedServers();
const opened: PooledPostgresqlDatabase[] = [];
const SEEDED = 20;

beforeAll(async () => {
  const setup = open('pewit-failover-setup');
  const { Author, Note } = replicaModels(setup);
  await setup.createTables([Author, Note]);
  await Note.insertMany(Array.from({ length: SEEDED }, (_, i) => ({ body: `note ${i}` })));
  await servers().waitForReplay();
});
afterAll(async () => {
  for (const db of opened) await db.close();
});

function open(name: string, options: ConstructorParameters<typeof PooledPostgresqlDatabase>[1] = {}, replicas?: string[]): PooledPostgresqlDatabase {
  const { primaryUrl, standbyUrl } = servers();
  const db = new PooledPostgresqlDatabase(named(primaryUrl, name), { replicas: replicas ?? [named(standbyUrl, name)], ...options });
  opened.push(db);
  return db;
}

/** A URL of the standby's `postgres` database with another password or port. */
function standbyWith(change: { password?: string; port?: number }): string {
  const url = new URL(servers().standbyUrl);
  if (change.password !== undefined) url.password = change.password;
  if (change.port !== undefined) url.port = String(change.port);
  return url.toString();
}

describe('a replica that fails is taken out of rotation; its reads go elsewhere without an error', () => {
  it('stopping the standby mid-load loses no read, and it rejoins the rotation after it starts again', { timeout: 120_000 }, async () => {
    const db = open('pewit-failover-load', { max: 5, replicaRetryMillis: 100 });
    const { Note } = replicaModels(db);
    const log = recordQueries(db);
    const counts: number[] = [];
    const wave = async () => {
      counts.push(...(await Promise.all(Array.from({ length: 10 }, () => Note.select().count()))));
    };
    for (let i = 0; i < 5; i++) await wave();
    const stopping = servers().stopStandby();
    for (let i = 0; i < 5; i++) await wave();
    await stopping;
    for (let i = 0; i < 10; i++) await wave();
    // Every one of the 200 reads was answered, with the right count, though the standby went away under them.
    expect(counts).toHaveLength(200);
    expect(counts.every((n) => n === SEEDED)).toBe(true);
    const servedBy = new Set(log.events.filter((e) => !e.error).map((e) => e.server));
    expect(servedBy).toEqual(new Set(['replica:0', 'primary']));
    const replica = db.servers[1];
    expect(replica?.inRotation).toBe(false);
    expect(replica?.lastError).toBeTruthy();

    await servers().startStandby();
    // Tried again after its pause (100 ms, doubling while it was down): a read lands on it again.
    await until(async () => (await Note.select(call('pg_is_in_recovery')).scalar()) === true, 'a read runs on the restarted standby');
    expect(db.servers[1]?.inRotation).toBe(true);
    log.stop();
  });

  it('a read in flight on a standby session that is terminated is answered by the primary', async () => {
    const db = open('pewit-failover-kill', { replicaRetryMillis: 60_000 });
    const { Note } = replicaModels(db);
    const log = recordQueries(db);
    const read = Note.select(call('pg_sleep', 0.5).as('slept'), inRecovery()).limit(1).dicts();
    const running = read.then((rows) => rows);
    await until(async () => {
      const { rows } = await adminQuery(
        servers().standbyUrl,
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'pewit-failover-kill' AND query LIKE '%pg_sleep%' AND state = 'active'`,
      );
      return rows[0].n === 1;
    }, 'the read runs on the standby');
    await adminQuery(servers().standbyUrl, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pewit-failover-kill'`);
    const rows = await running;
    log.stop();
    expect(rows[0]?.standby).toBe(false);
    expect(log.events.map((e) => [e.server, e.error === undefined])).toEqual([
      ['replica:0', false],
      ['primary', true],
    ]);
    expect(db.servers[1]?.inRotation).toBe(false);
  });

  it('a replica nobody listens on, or that refuses the login, never fails a read; its error keeps no password', async () => {
    const deadPort = await freePort();
    const db = open('pewit-failover-dead', { replicaRetryMillis: 60_000 }, [standbyWith({ port: deadPort }), standbyWith({ password: 'wrong-s3cret' })]);
    const { Note } = replicaModels(db);
    const log = recordQueries(db);
    for (let i = 0; i < 3; i++) expect(await Note.select().count()).toBe(SEEDED);
    expect(await Note.select(call('pg_is_in_recovery')).scalar()).toBe(false);
    log.stop();
    // Failed connections send nothing: every statement ran on the primary, none failed.
    expect(log.events.map((e) => [e.server, e.error])).toEqual(Array.from({ length: 4 }, () => ['primary', undefined]));
    const [, dead, refused] = db.servers;
    expect([dead?.inRotation, refused?.inRotation]).toEqual([false, false]);
    expect(dead?.lastError).toMatch(/ECONNREFUSED|connect/i);
    expect(refused?.lastError).toMatch(/password authentication failed/);
    expect(JSON.stringify(db.servers)).not.toContain('wrong-s3cret');
  });

  it('a cursor whose first read the standby refuses opens again on the primary', async () => {
    const db = open('pewit-failover-cursor');
    const { Note } = replicaModels(db);
    const log = recordQueries(db);
    const seen: unknown[] = [];
    for await (const row of Note.select(call('nextval', 'notes_id_seq').as('next'), inRecovery()).limit(3).dicts().iterator({ batchSize: 2 }))
      seen.push(row.standby);
    log.stop();
    expect(seen).toEqual([false, false, false]);
    expect(log.events.map((e) => [e.server, (e.error as { code?: string } | undefined)?.code])).toEqual([
      ['replica:0', '25006'],
      ['primary', undefined],
    ]);
    // A refusal of one statement says nothing about the replica: it stays in rotation.
    expect(db.servers[1]?.inRotation).toBe(true);
  });
});

describe('replica options are checked before anything connects', () => {
  it('refuses bad replica URLs and options with a clear error that shows no password', () => {
    const { primaryUrl } = servers();
    const refuse = (options: Record<string, unknown>) => () => new PooledPostgresqlDatabase(primaryUrl, options as never);
    const messageOf = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };
    const wrongScheme = messageOf(refuse({ replicas: ['mysql://app:s3cret@replica/app'] }));
    expect(wrongScheme).toMatch(/replicas\[0\] is not a postgres:\/\/ URL with a host: "mysql:\/\/app:\*\*\*@replica\/app"/);
    const malformed = messageOf(refuse({ replicas: [servers().standbyUrl, 'postgres://app:s3cret@[oops/app'] }));
    expect(malformed).toMatch(/replicas\[1\] is not a postgres:\/\/ URL/);
    for (const message of [wrongScheme, malformed]) expect(message).not.toContain('s3cret');
    expect(messageOf(refuse({ replicas: 'postgres://app:s3cret@replica/app' }))).toBe(
      'PooledPostgresqlDatabase: replicas must be an array of postgres:// URLs or client options, received string',
    );
    expect(messageOf(refuse({ replicas: [null] }))).toMatch(/replicas\[0\] must be a postgres:\/\/ URL or node-postgres client options, received null/);
    expect(messageOf(refuse({ replicas: [], replicaRetryMillis: 0 }))).toMatch(/replicaRetryMillis must be a positive number/);
    expect(messageOf(refuse({ replicas: [], stickyAfterWriteMs: -1 }))).toMatch(/stickyAfterWriteMs must be a non-negative number/);
    // Without replicas the two options would do nothing: refused, saying what to do.
    expect(messageOf(refuse({ stickyAfterWriteMs: 2_000 }))).toBe(
      'PooledPostgresqlDatabase: stickyAfterWriteMs only steers reads between the primary and read replicas, and there are none: ' +
        'pass replicas: [url, …] (or replica=host:port in a postgres+pool:// URL), or leave the option out',
    );
    expect(messageOf(refuse({ replicas: [], stickyAfterWriteMs: 1, replicaRetryMillis: 50 }))).toMatch(
      /^PooledPostgresqlDatabase: stickyAfterWriteMs and replicaRetryMillis only steer reads/,
    );
    const defaults = new PooledPostgresqlDatabase(primaryUrl, { stickyAfterWriteMs: 0 }); // the default, said aloud: nothing to refuse
    expect(defaults.routesReads).toBe(false);
    void defaults.close();
  });

  it('connect() refuses replica parameters that are not host[:port], never quoting them, and replica= on postgres://', async () => {
    const base = 'postgres+pool://app:s3cret@primary.example/app';
    const refusal = async (url: string) => {
      try {
        await connect(url);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error(`expected connect() to refuse ${url}`);
    };
    const withCredentials = await refusal(`${base}?replica=replica-1:5432&replica=app:s3cret@replica-2`);
    expect(withCredentials).toMatch(/replica parameter #2 is not host or host:port .*user, password, database and other parameters come from the primary URL/);
    expect(withCredentials).not.toContain('s3cret');
    expect(await refusal(`${base}?replica=replica-1:99999`)).toMatch(/replica parameter #1 is not host or host:port/);
    expect(await refusal(`${base}?replica=`)).toMatch(/replica parameter #1 is not host or host:port/);
    expect(await refusal(`${base}?replicas=replica-1`)).toMatch(/there is no replicas= parameter; name each read replica with its own replica=host:port/);
    expect(await refusal('postgres://app:s3cret@primary.example/app?replica=replica-1')).toMatch(/replica configure a pool.*use postgres\+pool:\/\//);
    expect(await refusal(`${base}?stickyAfterWriteMs=soon`)).toMatch(/stickyAfterWriteMs=soon is not a non-negative number/);
    expect(await refusal(`${base}?stickyAfterWriteMs=2000`)).toMatch(
      /stickyAfterWriteMs only steers reads between the primary and read replicas, and there are none/,
    );
  });
});
