import type { Connection, ConnectionIntent, Driver, RawResult, ServerInfo, Statement } from '@pewit/core';
import { Drain } from './drain.js';
import { replicaVerdict } from './replica-failure.js';
import { type Replica, ReplicaSet } from './replica-set.js';
import type { PoolCounts, PoolSettings, ServerPool } from './server-pool.js';

export type { PoolSettings } from './server-pool.js';

/** One server of the database as `servers` reports it: where it is, its pool, and (replicas) whether it takes reads. */
export interface PoolServerStatus extends ServerInfo, PoolCounts {
  /** False while a replica is out of rotation (down, or waiting to be tried again); always true for the primary. */
  readonly inRotation: boolean;
  /** The message of what last took a replica out of rotation (passwords masked). */
  readonly lastError?: string | undefined;
}

/**
 * `PooledPostgresqlDatabase`'s transport: a pool on the primary and one on
 * each read replica. `acquire('read')` checks a client out of the next
 * replica in rotation, and out of the primary when none is in rotation or
 * every one tried failed to connect (the caller never sees a replica's
 * connection error); every other acquire, and the blocking connection, use
 * the primary. A read that fails on a replica is judged by `replicaVerdict`:
 * core sends it again (`retryRead`) to another replica or to the primary.
 */
export class PoolDriver implements Driver {
  readonly #primary: ServerPool;
  readonly #replicas: ReplicaSet;
  readonly #settings: PoolSettings;
  /** Counts connections being acquired or checked out, so `shutdown()` can wait for them. */
  readonly #busy = new Drain();

  constructor(primary: ServerPool, replicas: readonly ServerPool[], settings: PoolSettings, replicaRetryMillis: number) {
    this.#primary = primary;
    this.#replicas = new ReplicaSet(replicas, replicaRetryMillis);
    this.#settings = settings;
  }

  /** True with read replicas: core then routes reads and notes writes (`Driver.routesReads`). */
  get routesReads(): boolean {
    return this.#replicas.replicas.length > 0;
  }

  /** True unless `max` is 1: a second pooled connection can run queries while a cursor holds one. */
  get supportsConcurrentConnections(): boolean {
    return this.#settings.max > 1;
  }

  /** Every server's pool: the primary first, then the replicas in the order given. */
  get servers(): readonly PoolServerStatus[] {
    const primary: PoolServerStatus = { ...this.#primary.server, ...this.#primary.counts, inRotation: true };
    return [
      primary,
      ...this.#replicas.replicas.map((r) => ({ ...r.pool.server, ...r.pool.counts, inRotation: r.health.state === 'up', lastError: r.lastError?.message })),
    ];
  }

  async acquire(intent: ConnectionIntent = 'write'): Promise<Connection> {
    this.#busy.enter();
    try {
      // Each replica that fails leaves the rotation, so this tries each at most once (and stops at that bound regardless).
      for (let tries = 0, replica = intent === 'read' ? this.#replicas.pick() : undefined; replica; replica = this.#replicas.pick()) {
        const connection = await this.#tryReplica(replica);
        if (connection) return connection;
        if (++tries >= this.#replicas.replicas.length) break;
      }
      return await this.#primary.checkout();
    } catch (error) {
      this.#busy.leave();
      throw error;
    }
  }

  /** A connection to `replica`, or `undefined` (and the replica out of rotation) when it cannot be had. */
  async #tryReplica(replica: Replica): Promise<Connection | undefined> {
    try {
      const connection = await replica.pool.checkout();
      this.#replicas.succeeded(replica);
      return connection;
    } catch (error) {
      this.#replicas.failed(replica, error as Error);
      return undefined;
    }
  }

  release(connection: Connection, error?: Error): void {
    const released = this.#primary.release(connection, error) || this.#replicas.owning(connection)?.pool.release(connection, error);
    if (released) this.#busy.leave();
  }

  retryRead(connection: Connection, error: Error): ConnectionIntent | undefined {
    const replica = this.#replicas.owning(connection);
    // A read on the primary (no replica in rotation, or onPrimary) has nowhere else to go.
    if (!replica) return undefined;
    const verdict = replicaVerdict(error);
    if (verdict === 'down') {
      this.#replicas.failed(replica, error);
      return 'read';
    }
    return verdict === 'primary' ? 'write' : undefined;
  }

  /** The blocking connection is one session on the primary (see docs/scaling.md, "Read replicas"). */
  get blockingServer(): ServerInfo {
    return this.#primary.server;
  }

  sendBlocking(statement: Statement): RawResult {
    return this.#primary.connections.sendBlocking(statement);
  }

  /** Waits for checked-out connections to come back, then ends every pool and the blocking connection. */
  async shutdown(): Promise<void> {
    await this.#busy.drained();
    await Promise.all([this.#primary.end(), ...this.#replicas.replicas.map((r) => r.pool.end()), this.#primary.connections.closeBlocking()]);
  }
}
