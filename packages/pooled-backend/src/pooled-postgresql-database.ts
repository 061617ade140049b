import { ClientConnections, type ConnectionConfig, NodePostgresDatabase, type PostgresqlDatabaseOptions } from '@pewit/pg-backend';
import { PoolDriver, type PoolServerStatus, type PoolSettings } from './pool-driver.js';
import { checkReplicas, checkRetryMillis, refuseReplicaOptionsWithoutReplicas } from './replica-options.js';
import { ServerPool } from './server-pool.js';

/** Pool options (pg-pool's names) plus the single-connection backend's options. */
export interface PooledPostgresqlDatabaseOptions extends PostgresqlDatabaseOptions {
  /** Most connections open at once (default 10). */
  readonly max?: number;
  /** Close a connection idle this long (default 10 000 ms; 0 keeps idle connections open). */
  readonly idleTimeoutMillis?: number;
  /** How long to wait for a free connection (or a new one to open) before OperationalError (default 30 000 ms). */
  readonly connectionTimeoutMillis?: number;
  /** Replace connections older than this (default 0: never). */
  readonly maxLifetimeSeconds?: number;
  /** Server-side `statement_timeout` for every connection, the blocking one included. */
  readonly statementTimeoutMillis?: number;
  /**
   * Read replicas (streaming standbys of the primary), as URLs or client options. Plain reads outside a
   * transaction go to them, round-robin; everything else goes to the primary. Each gets a pool of its own
   * with the same settings (`max` is per server). See docs/scaling.md, "Read replicas".
   * @example new PooledPostgresqlDatabase(primaryUrl, { replicas: ['postgres://app:pw@replica-1/app'] })
   */
  readonly replicas?: readonly ConnectionConfig[];
  /**
   * How long reads stay on the primary after a write, so they see it despite replica lag (default 0).
   * Outside `db.readYourWrites()` any write through the database counts (0: off); inside it only the
   * scope's own, and 0 keeps the scope's reads on the primary from its first write to its end.
   */
  readonly stickyAfterWriteMs?: number;
  /** The first pause before a replica that failed is tried again (default 1 000 ms; doubling to 30 s while it keeps failing). */
  readonly replicaRetryMillis?: number;
}

/**
 * PostgreSQL through a pool of node-postgres connections (`pg-pool`), for
 * servers. Each statement borrows a connection; each transaction pins one for
 * its whole life, so concurrent transactions run side by side, isolated.
 * Broken connections are discarded and replaced; a connection given back
 * inside a transaction is destroyed rather than reused. The blocking path
 * (`…Sync`) uses one worker connection, as in `PostgresqlDatabase`, on the
 * primary. With `replicas`, plain reads outside a transaction go to a read
 * replica (docs/scaling.md).
 *
 * @example
 * const db = new PooledPostgresqlDatabase('postgres://localhost/app', { max: 20, idleTimeoutMillis: 10_000 });
 * await Promise.all(ids.map((id) => User.getById(id))); // up to 20 SELECTs at once
 * await db.close(); // waits for checked-out connections, then ends them all
 */
export class PooledPostgresqlDatabase extends NodePostgresDatabase {
  /** The pool settings in effect. */
  readonly poolOptions: Readonly<PoolSettings>;
  readonly #driver: PoolDriver;

  constructor(config: ConnectionConfig, options: PooledPostgresqlDatabaseOptions = {}) {
    const poolOptions: PoolSettings = {
      max: options.max ?? 10,
      idleTimeoutMillis: options.idleTimeoutMillis ?? 10_000,
      connectionTimeoutMillis: options.connectionTimeoutMillis ?? 30_000,
      maxLifetimeSeconds: options.maxLifetimeSeconds ?? 0,
    };
    // Nothing connects before the first query, so an option refused here leaves nothing open.
    const replicaConfigs = checkReplicas(options.replicas);
    const retryMillis = checkRetryMillis(options.replicaRetryMillis);
    const connections = new ClientConnections(config, options);
    const replicas = replicaConfigs.map((replica, n) => new ClientConnections(replica, { ...options, serverName: `replica:${n}` }));
    const driver = new PoolDriver(
      new ServerPool(connections, poolOptions),
      replicas.map((replica) => new ServerPool(replica, poolOptions)),
      poolOptions,
      retryMillis,
    );
    super(connections, driver, { stickyAfterWriteMs: options.stickyAfterWriteMs });
    refuseReplicaOptionsWithoutReplicas(options, replicaConfigs.length);
    this.poolOptions = poolOptions;
    this.#driver = driver;
  }

  /**
   * Every server this database reads or writes: the primary first, then each replica, with its pool's
   * counts and whether it takes reads now. Configs are never included, so no password can show.
   * @example db.servers.map((s) => `${s.name} ${s.inRotation}`) // ['primary true', 'replica:0 true']
   */
  get servers(): readonly PoolServerStatus[] {
    return this.#driver.servers;
  }

  /** Connections open (idle and checked out), summed over every server's pool (the primary's and each replica's). */
  get totalCount(): number {
    return this.#sum('total');
  }

  /** Open connections nobody is using, over every server's pool. */
  get idleCount(): number {
    return this.#sum('idle');
  }

  /** Callers waiting for a connection, over every server's pool. */
  get waitingCount(): number {
    return this.#sum('waiting');
  }

  #sum(count: 'total' | 'idle' | 'waiting'): number {
    return this.servers.reduce((sum, server) => sum + server[count], 0);
  }
}
