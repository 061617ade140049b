import { redactUrl } from '@pewit/core';
import type { ConnectionConfig } from '@pewit/pg-backend';

/** The default `replicaRetryMillis`: the first pause of a replica that failed. */
export const DEFAULT_REPLICA_RETRY_MILLIS = 1_000;

/**
 * Checks the `replicas` option before anything connects: an array of
 * `postgres://` URLs or node-postgres client options (plain objects). A bad
 * entry is a TypeError naming its index, its URL shown without the password.
 *
 * @example checkReplicas(['postgres://app@replica-1/app']) // the same list, frozen
 */
export function checkReplicas(replicas: unknown): readonly ConnectionConfig[] {
  if (replicas === undefined) return [];
  if (!Array.isArray(replicas)) {
    throw new TypeError(`PooledPostgresqlDatabase: replicas must be an array of postgres:// URLs or client options, received ${typeof replicas}`);
  }
  return Object.freeze(replicas.map((replica: unknown, index) => checkReplica(replica, index)));
}

function checkReplica(replica: unknown, index: number): ConnectionConfig {
  const where = `PooledPostgresqlDatabase: replicas[${index}]`;
  if (typeof replica === 'string') {
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(replica)?.[0]?.toLowerCase();
    let valid = scheme === 'postgres:' || scheme === 'postgresql:';
    if (valid) {
      try {
        valid = new URL(replica).host !== '';
      } catch {
        valid = false;
      }
    }
    // new URL() puts the whole input, password included, in its error: none of it is kept.
    if (!valid)
      throw new TypeError(
        `${where} is not a postgres:// URL with a host: "${redactUrl(replica)}"; expected e.g. postgres://user:password@replica-host:5432/app`,
      );
    return replica;
  }
  if (typeof replica === 'object' && replica !== null && !Array.isArray(replica)) return replica as ConnectionConfig;
  throw new TypeError(`${where} must be a postgres:// URL or node-postgres client options, received ${replica === null ? 'null' : typeof replica}`);
}

/** Checks `replicaRetryMillis`: a positive number of milliseconds. */
export function checkRetryMillis(ms: unknown): number {
  if (ms === undefined) return DEFAULT_REPLICA_RETRY_MILLIS;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw new TypeError(`PooledPostgresqlDatabase: replicaRetryMillis must be a positive number of milliseconds, received ${String(ms)}`);
  }
  return ms;
}

/**
 * `stickyAfterWriteMs` and `replicaRetryMillis` steer reads between servers: without replicas they would be
 * accepted and do nothing, so they are refused (after their values were checked), saying what to do.
 *
 * @example refuseReplicaOptionsWithoutReplicas({ stickyAfterWriteMs: 2_000 }, 0) // TypeError: … pass replicas: [url, …] …
 */
export function refuseReplicaOptionsWithoutReplicas(
  options: { readonly stickyAfterWriteMs?: number; readonly replicaRetryMillis?: number },
  replicas: number,
): void {
  if (replicas > 0) return;
  const given = [
    ...(options.stickyAfterWriteMs !== undefined && options.stickyAfterWriteMs !== 0 ? ['stickyAfterWriteMs'] : []),
    ...(options.replicaRetryMillis !== undefined ? ['replicaRetryMillis'] : []),
  ];
  if (given.length === 0) return;
  throw new TypeError(
    `PooledPostgresqlDatabase: ${given.join(' and ')} only ${given.length > 1 ? 'steer' : 'steers'} reads between the primary and read replicas, and there are none: ` +
      'pass replicas: [url, …] (or replica=host:port in a postgres+pool:// URL), or leave the option out',
  );
}
