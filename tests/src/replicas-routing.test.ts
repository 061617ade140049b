import { connect, type Database, sql } from '@pewit/core';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { recordQueries } from '@pewit/test-support';
import { enableWarnMode } from '@pewit/warn-mode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, inRecovery, named, replicaModels, sessionsOf, until, useReplicatedServers } from './replicas-helpers.js';
import { collectingLogger } from './warn-mode-helpers.js';

// Where each statement runs, proven twice: by pg_is_in_recovery() in the rows a server produced (true only on
// the standby) and by the `server` of the query events.
const servers = useReplicatedServers();
let db: PooledPostgresqlDatabase;
let models: ReturnType<typeof replicaModels>;
const extra: Database[] = [];

beforeAll(async () => {
  const { primaryUrl, standbyUrl } = servers();
  db = new PooledPostgresqlDatabase(named(primaryUrl, 'pewit-routing'), { replicas: [named(standbyUrl, 'pewit-routing')], max: 4 });
  models = replicaModels(db);
  const { Author, Note } = models;
  await db.createTables([Author, Note]);
  for (const name of ['ann', 'bob', 'cy']) {
    const author = await Author.create({ name });
    await Note.create({ author, body: `note of ${name}` });
    await Note.create({ author, body: `another note of ${name}` });
  }
  await servers().waitForReplay();
});
afterAll(async () => {
  for (const other of extra) await other.close();
  await db?.close();
});

/** A second database on the same servers, closed after the file. */
function open(options: ConstructorParameters<typeof PooledPostgresqlDatabase>[1] & { name: string }): PooledPostgresqlDatabase {
  const { primaryUrl, standbyUrl } = servers();
  const { name, ...rest } = options;
  const other = new PooledPostgresqlDatabase(named(primaryUrl, name), { replicas: [named(standbyUrl, name)], ...rest });
  extra.push(other);
  return other;
}

/** The servers that ran the statements `run` sent. */
async function serversOf(run: () => Promise<unknown>, on: Database = db): Promise<string[]> {
  const log = recordQueries(on);
  try {
    await run();
  } finally {
    log.stop();
  }
  return log.events.map((e) => e.server);
}

describe('reads outside a transaction go to the standby', () => {
  it('a plain SELECT runs on the standby: its rows say pg_is_in_recovery(), its event says replica:0', async () => {
    const { Note } = models;
    const log = recordQueries(db);
    const rows = await Note.select(Note.id, inRecovery()).orderBy(Note.id).dicts();
    log.stop();
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(rows.every((row) => row.standby === true)).toBe(true);
    expect(log.events).toHaveLength(1);
    expect(log.events[0]).toMatchObject({ server: 'replica:0', serverAddress: '127.0.0.1', serverPort: Number(new URL(servers().standbyUrl).port) });
  });

  it('routesReads is true with replicas and false without: only then are reads judged and routed', async () => {
    expect(db.routesReads).toBe(true);
    const { primaryUrl } = servers();
    const plain = new PooledPostgresqlDatabase(named(primaryUrl, 'pewit-plain'), { max: 2 });
    try {
      expect(plain.routesReads).toBe(false);
      // Without replicas every statement, read or not, runs on the primary as before.
      const { Note } = replicaModels(plain);
      const log = recordQueries(plain);
      expect((await Note.select(Note.id, inRecovery()).limit(1).dicts())[0]?.standby).toBe(false);
      log.stop();
      expect(log.events.map((e) => e.server)).toEqual(['primary']);
    } finally {
      await plain.close();
    }
  });

  it('get, first, scalar, count, exists and model instances read from the standby', async () => {
    const { Note } = models;
    const got = await Note.select(Note.id, inRecovery()).dicts().get();
    const first = await Note.select(Note.id, inRecovery()).dicts().first();
    expect([got.standby, first?.standby]).toEqual([true, true]);
    expect(await Note.select(call('pg_is_in_recovery')).scalar()).toBe(true);
    expect(
      await serversOf(async () => {
        expect(await Note.select().count()).toBeGreaterThanOrEqual(6);
        expect(await Note.select().where(Note.body.eq('note of ann')).exists()).toBe(true);
        expect((await Note.getOrNone(Note.body.eq('note of bob')))?.body).toBe('note of bob');
        await Note.select().orderBy(Note.id);
      }),
    ).toEqual(['replica:0', 'replica:0', 'replica:0', 'replica:0']);
  });

  it('prefetch levels and lazy loads with load() read from the standby', async () => {
    const { Author, Note } = models;
    let authors: InstanceType<typeof Author>[] = [];
    expect(
      await serversOf(async () => {
        authors = await Author.select().orderBy(Author.id).prefetch(Note);
      }),
    ).toEqual(['replica:0', 'replica:0']);
    // A prefetched backref is iterable without a query.
    expect(
      await serversOf(async () => expect(authors.map((a) => [...(a as unknown as { notes: Iterable<unknown> }).notes].length)).toEqual([2, 2, 2])),
    ).toEqual([]);
    const note = await Note.select().orderBy(Note.id).first();
    expect(await serversOf(() => (note as InstanceType<typeof Note>).load('author'))).toEqual(['replica:0']);
  });

  it('iterator() streams from the standby outside a transaction', async () => {
    const { Note } = models;
    const seen: unknown[] = [];
    const log = recordQueries(db);
    for await (const row of Note.select(Note.id, inRecovery()).orderBy(Note.id).dicts().iterator({ batchSize: 2 })) seen.push(row.standby);
    log.stop();
    expect(seen.length).toBeGreaterThanOrEqual(6);
    expect(new Set(seen)).toEqual(new Set([true]));
    expect(log.events.map((e) => e.server)).toEqual(['replica:0']);
  });

  it('round-robins over the replicas in rotation', async () => {
    const { primaryUrl, standbyUrl } = servers();
    // The one standby twice: two replicas, two pools, so the rotation shows in the server names.
    const twice = new PooledPostgresqlDatabase(named(primaryUrl, 'pewit-rr'), { replicas: [named(standbyUrl, 'pewit-rr'), named(standbyUrl, 'pewit-rr')] });
    extra.push(twice);
    const { Note } = replicaModels(twice);
    const order = await serversOf(async () => {
      for (let i = 0; i < 4; i++) await Note.select().limit(1);
    }, twice);
    expect(order).toEqual(['replica:0', 'replica:1', 'replica:0', 'replica:1']);
  });
});

describe('everything else goes to the primary', () => {
  it('inserts and updates run on the primary (RETURNING pg_is_in_recovery())', async () => {
    const { Note } = models;
    const log = recordQueries(db);
    const [inserted] = await Note.insert({ body: 'written' }).returning(Note.id, inRecovery());
    const updated = await Note.update({ likes: 1 })
      .where(Note.id.eq((inserted as InstanceType<typeof Note>).id))
      .returning(inRecovery());
    log.stop();
    expect((inserted as unknown as { standby: boolean }).standby).toBe(false);
    expect((updated[0] as unknown as { standby: boolean }).standby).toBe(false);
    expect(log.events.map((e) => e.server)).toEqual(['primary', 'primary']);
  });

  it('locking reads (forUpdate) and data-modifying CTEs go to the primary, not tried on the standby first', async () => {
    const { Note } = models;
    const log = recordQueries(db);
    const locked = await Note.select(Note.id, inRecovery()).orderBy(Note.id).limit(1).forUpdate().dicts();
    const made = Note.insert({ body: 'from a CTE' }).returning(Note.id).cte<{ id: number }>('made');
    const fromCte = await made.select(made.c.id).dicts();
    log.stop();
    expect(locked[0]?.standby).toBe(false);
    expect(fromCte).toHaveLength(1);
    // One event each, no error: the routing knew, rather than the standby refusing first.
    expect(log.events.map((e) => [e.server, e.error])).toEqual([
      ['primary', undefined],
      ['primary', undefined],
    ]);
  });

  it('raw db.execute() and DDL go to the primary', async () => {
    const log = recordQueries(db);
    const { rows } = await db.execute(sql`SELECT pg_is_in_recovery() AS standby`);
    await db.execute(sql`CREATE TABLE IF NOT EXISTS routing_ddl (id int)`);
    log.stop();
    expect(rows[0]?.standby).toBe(false);
    expect(log.events.map((e) => e.server)).toEqual(['primary', 'primary']);
  });

  it('a read whose function writes (nextval) is refused by the standby as read-only and answered by the primary', async () => {
    const { Note } = models;
    const log = recordQueries(db);
    const [row] = await Note.select(call('nextval', 'notes_id_seq').as('next')).limit(1).dicts();
    log.stop();
    expect(typeof row?.next).toBe('number');
    expect(log.events.map((e) => [e.server, (e.error as { code?: string } | undefined)?.code])).toEqual([
      ['replica:0', '25006'],
      ['primary', undefined],
    ]);
  });
});

describe('transactions and onPrimary()', () => {
  it('every statement of atomic() runs on the primary: reads, writes, cursors, BEGIN and COMMIT', async () => {
    const { Note } = models;
    const seen: unknown[] = [];
    const log = recordQueries(db);
    await db.atomic(async () => {
      const rows = await Note.select(Note.id, inRecovery()).limit(2).dicts();
      seen.push(...rows.map((r) => r.standby));
      await Note.create({ body: 'in a transaction' });
      seen.push(await Note.select(call('pg_is_in_recovery')).scalar());
      for await (const row of Note.select(inRecovery()).limit(2).dicts().iterator()) seen.push(row.standby);
    });
    log.stop();
    expect(new Set(seen)).toEqual(new Set([false]));
    expect(log.sql[0]).toBe('BEGIN');
    expect(log.sql.at(-1)).toBe('COMMIT');
    expect(new Set(log.events.map((e) => e.server))).toEqual(new Set(['primary']));
  });

  it('a transaction of db.begin() runs on the primary inside tx.run()', async () => {
    const { Note } = models;
    const tx = await db.begin();
    let standby: unknown;
    try {
      standby = await tx.run(() => Note.select(call('pg_is_in_recovery')).scalar());
    } finally {
      await tx.commit();
    }
    expect(standby).toBe(false);
  });

  it('db.onPrimary() sends the reads of its scope to the primary, across awaits and Promise.all; outside it they go back', async () => {
    const { Note } = models;
    const inside = await db.onPrimary(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return Promise.all([Note.select(call('pg_is_in_recovery')).scalar(), Note.select(Note.id, inRecovery()).dicts().first()]);
    });
    expect([inside[0], inside[1]?.standby]).toEqual([false, false]);
    expect(await Note.select(call('pg_is_in_recovery')).scalar()).toBe(true);
  });
});

describe('the blocking path and warn mode on a replicated database', () => {
  it('blocking evaluations run on the one blocking connection, on the primary', () => {
    const { Note } = models;
    const log = recordQueries(db);
    const rows = Note.select(Note.id, inRecovery()).limit(2).dicts().allSync();
    const count = Note.select().countSync();
    log.stop();
    expect(rows.map((r) => r.standby)).toEqual([false, false]);
    expect(count).toBeGreaterThanOrEqual(6);
    expect(log.events.map((e) => [e.path, e.server])).toEqual([
      ['blocking', 'primary'],
      ['blocking', 'primary'],
    ]);
  });

  it('warn mode reports blocking N+1 reads and async reads alike', async () => {
    const { Note } = models;
    const logger = collectingLogger();
    const warn = enableWarnMode(db, { logger });
    try {
      const notes = await Note.select().where(Note.author.isNotNull()).orderBy(Note.id).limit(5);
      const names = notes.map((note) => (note.author as unknown as { name: string }).name);
      expect(names).toHaveLength(5);
      const report = warn.report();
      expect(report).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'lazy foreign key Note.author', count: 5, nPlusOne: true })]));
    } finally {
      warn.disable();
    }
  });
});

describe('pools, counts and close', () => {
  it('servers lists every pool; totalCount sums them and matches the sessions on both servers', async () => {
    const other = open({ name: 'pewit-counts', max: 3, idleTimeoutMillis: 0 });
    const { Note } = replicaModels(other);
    await Promise.all([Note.select().limit(1), Note.select().limit(1), other.execute(sql`SELECT pg_sleep(0.05)`), other.execute(sql`SELECT pg_sleep(0.05)`)]);
    const [primary, replica] = other.servers;
    expect([primary?.name, replica?.name, primary?.inRotation, replica?.inRotation]).toEqual(['primary', 'replica:0', true, true]);
    expect(other.totalCount).toBe((primary?.total ?? 0) + (replica?.total ?? 0));
    expect(primary?.total).toBe(await sessionsOf(servers().primaryUrl, 'pewit-counts'));
    expect(replica?.total).toBe(await sessionsOf(servers().standbyUrl, 'pewit-counts'));
    expect(replica?.total).toBeGreaterThan(0);
    expect(other.idleCount).toBe(other.totalCount);
    expect(other.waitingCount).toBe(0);
  });

  it('close() ends every pool: no session is left on the primary or the standby', async () => {
    const other = open({ name: 'pewit-close' });
    const { Note } = replicaModels(other);
    await Promise.all([Note.select().limit(1), other.execute(sql`SELECT 1`)]);
    expect(await sessionsOf(servers().standbyUrl, 'pewit-close')).toBeGreaterThan(0);
    await other.close();
    await until(async () => (await sessionsOf(servers().primaryUrl, 'pewit-close')) === 0, 'the primary sessions end');
    await until(async () => (await sessionsOf(servers().standbyUrl, 'pewit-close')) === 0, 'the standby sessions end');
  });

  it('connect() takes replica=host:port from a postgres+pool:// URL, with the primary’s user, password and database', async () => {
    const { primaryUrl, standbyAddress } = servers();
    const url = new URL(named(primaryUrl, 'pewit-connect'));
    url.searchParams.append('replica', standbyAddress);
    url.searchParams.set('stickyAfterWriteMs', '0');
    const viaUrl = (await connect(url.toString().replace(/^postgres:/, 'postgres+pool:'))) as PooledPostgresqlDatabase;
    extra.push(viaUrl);
    expect(viaUrl.servers.map((s) => [s.name, s.port])).toEqual([
      ['primary', Number(url.port)],
      ['replica:0', Number(standbyAddress.split(':')[1])],
    ]);
    const { Note } = replicaModels(viaUrl);
    expect(await Note.select(call('pg_is_in_recovery')).scalar()).toBe(true);
    expect((await viaUrl.execute(sql`SELECT pg_is_in_recovery() AS standby`)).rows[0]?.standby).toBe(false);
  });
});
