import { AutoField, model, sql, TextField } from '@pewit/core';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { recordQueries } from '@pewit/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { named, replicaModels, useReplicatedServers } from './replicas-helpers.js';

// The standby applies each commit 500 ms after the primary made it (recovery_min_apply_delay): real replica lag.
const servers = useReplicatedServers({ applyDelayMillis: 500 });
const opened: PooledPostgresqlDatabase[] = [];

beforeAll(async () => {
  const setup = open('pewit-lag-setup');
  const { Author, Note } = replicaModels(setup);
  await setup.createTables([Author, Note]);
  await servers().waitForReplay();
});
afterAll(async () => {
  for (const db of opened) await db.close();
});

function open(name: string, options: ConstructorParameters<typeof PooledPostgresqlDatabase>[1] = {}): PooledPostgresqlDatabase {
  const { primaryUrl, standbyUrl } = servers();
  const db = new PooledPostgresqlDatabase(named(primaryUrl, name), { replicas: [named(standbyUrl, name)], ...options });
  opened.push(db);
  return db;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('read-your-writes despite a 500 ms apply delay', () => {
  it('a read right after a write, outside any scope and without stickyAfterWriteMs, does not see the row: the lag is real', async () => {
    const db = open('pewit-lag-plain');
    const { Note } = replicaModels(db);
    const note = await Note.create({ body: 'not yet on the standby' });
    const log = recordQueries(db);
    expect(await Note.getOrNone(Note.id.eq(note.id))).toBeNull();
    log.stop();
    expect(log.events.map((e) => e.server)).toEqual(['replica:0']);
  });

  it('inside db.readYourWrites(), a scope that inserted lists its row from the primary; before it wrote, it read the standby', async () => {
    const db = open('pewit-lag-scope');
    const { Note } = replicaModels(db);
    const log = recordQueries(db);
    const listed = await db.readYourWrites(async () => {
      await Note.select().limit(1);
      const note = await Note.create({ body: 'mine' });
      // An await boundary between write and read, as in a request handler.
      await Promise.resolve();
      return { id: note.id, rows: await Note.select().where(Note.body.eq('mine')) };
    });
    log.stop();
    expect(listed.rows.map((n) => n.id)).toContain(listed.id);
    expect(log.events.map((e) => e.server)).toEqual(['replica:0', 'primary', 'primary']);
    // The same read outside the scope, at once, still misses it: only the scope's reads were kept on the primary.
    expect(await Note.getOrNone(Note.id.eq(listed.id))).toBeNull();
  });

  it('another scope that did not write keeps reading the standby while one that wrote reads the primary', async () => {
    const db = open('pewit-lag-two');
    const { Note } = replicaModels(db);
    const log = recordQueries(db);
    let releaseReader!: () => void;
    const readerMayRead = new Promise<void>((resolve) => {
      releaseReader = resolve;
    });
    const writer = db.readYourWrites(async () => {
      const note = await Note.create({ body: 'writer' });
      releaseReader();
      return Note.getOrNone(Note.id.eq(note.id));
    });
    const reader = db.readYourWrites(async () => {
      await readerMayRead;
      return Note.select().where(Note.body.eq('writer'));
    });
    const [seenByWriter, seenByReader] = await Promise.all([writer, reader]);
    log.stop();
    expect(seenByWriter?.body).toBe('writer');
    expect(seenByReader).toEqual([]);
    expect(log.events.map((e) => e.server).sort()).toEqual(['primary', 'primary', 'replica:0']);
  });

  it('a transaction and a blocking write count as writes of the scope; the window starts at COMMIT', async () => {
    const db = open('pewit-lag-tx');
    const { Note } = replicaModels(db);
    const viaTransaction = await db.readYourWrites(async () => {
      const note = await db.atomic(async () => {
        const made = await Note.create({ body: 'in a transaction' });
        await db.execute(sql`SELECT pg_sleep(0.05)`);
        return made;
      });
      return Note.getOrNone(Note.id.eq(note.id));
    });
    expect(viaTransaction?.body).toBe('in a transaction');
    const viaBlocking = await db.readYourWrites(async () => {
      const note = db.allowBlocking(() => Note.createSync({ body: 'blocking' }));
      return Note.getOrNone(Note.id.eq(note.id));
    });
    expect(viaBlocking?.body).toBe('blocking');
  });

  it('stickyAfterWriteMs keeps every unscoped read on the primary for that long after any write, then reads go back to the standby', async () => {
    // A window far longer than the gap between the write and the next read, so only the sleep can outlast it.
    const db = open('pewit-lag-window', { stickyAfterWriteMs: 1_000 });
    const { Note } = replicaModels(db);
    const log = recordQueries(db);
    const note = await Note.create({ body: 'window' });
    expect((await Note.getOrNone(Note.id.eq(note.id)))?.body).toBe('window');
    await sleep(1_100);
    await Note.select().limit(1);
    log.stop();
    expect(log.events.map((e) => e.server)).toEqual(['primary', 'primary', 'replica:0']);
  });

  it('inside a scope, stickyAfterWriteMs bounds how long the scope stays on the primary after its last write', async () => {
    const db = open('pewit-lag-scope-window', { stickyAfterWriteMs: 1_000 });
    const { Note } = replicaModels(db);
    const log = recordQueries(db);
    await db.readYourWrites(async () => {
      await Note.create({ body: 'scoped window' });
      await Note.select().limit(1);
      await sleep(1_100);
      await Note.select().limit(1);
    });
    log.stop();
    expect(log.events.map((e) => e.server)).toEqual(['primary', 'primary', 'replica:0']);
  });

  it('a table the standby has not replayed yet: the read is answered by the primary, not failed with 42P01', async () => {
    const db = open('pewit-lag-ddl');
    class Fresh extends model('lag_new_table', { id: AutoField(), label: TextField() }, { database: db }) {}
    await db.createTables([Fresh]);
    await Fresh.create({ label: 'fresh' });
    const log = recordQueries(db);
    const rows = await Fresh.select(Fresh.label).dicts();
    log.stop();
    expect(rows).toEqual([{ label: 'fresh' }]);
    expect(log.events.map((e) => [e.server, (e.error as { code?: string } | undefined)?.code])).toEqual([
      ['replica:0', '42P01'],
      ['primary', undefined],
    ]);
  });
});
