import type { ServerPool } from './server-pool.js';

/** Longest pause between two tries of a replica that is down (unless `replicaRetryMillis` is longer). */
const MAX_BACKOFF_MILLIS = 30_000;

/** How one replica stands: in rotation, out of it until `retryAt`, or being tried again by one caller. */
type Health = { readonly state: 'up' } | { readonly state: 'down'; readonly retryAt: number } | { readonly state: 'probing' };

/** One read replica: its pool and health. */
export interface Replica {
  readonly index: number;
  readonly pool: ServerPool;
  health: Health;
  /** Failures in a row; sets the next pause (doubling). */
  failures: number;
  /** What took it out of rotation last, without any password. */
  lastError: Error | undefined;
}

/**
 * The read replicas and which of them take reads: round-robin over those in
 * rotation. A replica that fails is taken out of rotation for a pause that
 * doubles with each failure in a row (from `retryMillis` to 30 s); when the
 * pause is over, one caller's read tries it again (the others keep going
 * elsewhere), and a success puts it back in rotation.
 */
export class ReplicaSet {
  readonly replicas: readonly Replica[];
  readonly #retryMillis: number;
  readonly #now: () => number;
  #next = 0;

  constructor(pools: readonly ServerPool[], retryMillis: number, now: () => number = Date.now) {
    this.replicas = pools.map((pool, index) => ({ index, pool, health: { state: 'up' }, failures: 0, lastError: undefined }));
    this.#retryMillis = retryMillis;
    this.#now = now;
  }

  /** The next replica to read from, or `undefined` when none is in rotation (reads go to the primary). */
  pick(): Replica | undefined {
    const count = this.replicas.length;
    const now = this.#now();
    for (let step = 0; step < count; step++) {
      const replica = this.replicas[(this.#next + step) % count] as Replica;
      const { health } = replica;
      if (health.state === 'probing') continue;
      if (health.state === 'down') {
        if (now < health.retryAt) continue;
        // The pause is over: this caller tries it; others skip it until it answers.
        replica.health = { state: 'probing' };
      }
      this.#next = (replica.index + 1) % count;
      return replica;
    }
    return undefined;
  }

  /** A connection to `replica` opened: it is (back) in rotation. */
  succeeded(replica: Replica): void {
    replica.health = { state: 'up' };
    replica.failures = 0;
  }

  /** `replica` failed: out of rotation for the next pause. Failures of reads already in flight when it went down count once. */
  failed(replica: Replica, error: Error): void {
    replica.lastError = error;
    if (replica.health.state === 'down') return;
    replica.failures++;
    const pause = Math.min(this.#retryMillis * 2 ** (replica.failures - 1), Math.max(MAX_BACKOFF_MILLIS, this.#retryMillis));
    replica.health = { state: 'down', retryAt: this.#now() + pause };
  }

  /** The replica whose pool lent `connection`, if any. */
  owning(connection: Parameters<ServerPool['owns']>[0]): Replica | undefined {
    return this.replicas.find((replica) => replica.pool.owns(connection));
  }
}
