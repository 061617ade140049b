import { AutoField, type Database, ForeignKeyField, fn, IntegerField, model, TextField } from '@pewit/core';
import { adminQuery } from '@pewit/test-support';
import { type ReplicatedServers, type ReplicatedServersOptions, startReplicatedServers } from '@pewit/test-support/replicated-servers';
import { afterAll, beforeAll } from 'vitest';

/**
 * Gives the calling test file its own primary and streaming standby (the shared test server has no standby),
 * destroyed after its tests. Returns a getter.
 */
export function useReplicatedServers(options: ReplicatedServersOptions = {}): () => ReplicatedServers {
  let servers: ReplicatedServers | undefined;
  beforeAll(async () => {
    servers = await startReplicatedServers(options);
  }, 120_000);
  afterAll(async () => {
    await servers?.destroy();
  });
  return () => {
    if (!servers) throw new Error('useReplicatedServers(): the servers exist only inside tests and hooks');
    return servers;
  };
}

/** `url` with `application_name` set, so a test can find its sessions in pg_stat_activity. */
export function named(url: string, applicationName: string): string {
  const u = new URL(url);
  u.searchParams.set('application_name', applicationName);
  return u.toString();
}

/** Sessions of `applicationName` on the server of `url`. */
export async function sessionsOf(url: string, applicationName: string): Promise<number> {
  const { rows } = await adminQuery(url, 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
  return rows[0].n;
}

/** The models of the replica tests, on `db`. */
export function replicaModels(db: Database) {
  class Author extends model('authors', { id: AutoField(), name: TextField() }, { database: db }) {}
  class Note extends model(
    'notes',
    { id: AutoField(), author: ForeignKeyField(() => Author, { backref: 'notes', null: true }), body: TextField(), likes: IntegerField({ default: 0 }) },
    { database: db },
  ) {}
  return { Author, Note };
}

/** A call of a function the typed `fn` does not list, e.g. `call('pg_is_in_recovery')`. */
export function call(name: string, ...args: unknown[]) {
  return (fn[name] as NonNullable<(typeof fn)[string]>)(...args);
}

/** `pg_is_in_recovery()` as a column: true in rows a standby produced, false in the primary's. */
export const inRecovery = () => call('pg_is_in_recovery').as('standby');

/** Waits (bounded) until `done()` holds; for server-side effects that arrive through sockets and replication. */
export async function until(done: () => boolean | Promise<boolean>, what: string, attempts = 600): Promise<void> {
  for (let i = 0; i < attempts; i++) {
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`gave up waiting until ${what}`);
}
