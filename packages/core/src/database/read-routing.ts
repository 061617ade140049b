import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type { ConnectionIntent } from './driver.js';

/** When the writes a read must see last finished; `undefined` while nothing was written. */
interface WriteClock {
  at: number | undefined;
}

/** One `onPrimary()` or `readYourWrites()` scope: whether reads are forced to the primary, and whose writes they must see. */
interface RoutingScope {
  readonly primary: boolean;
  /** The clock of the enclosing `readYourWrites()` scope; outside one, the database's. */
  readonly clock: WriteClock | undefined;
}

/**
 * Which reads may leave the primary. Core knows whether an evaluation is a
 * plain read (the query says so); this decides whether that read may go to a
 * replica or must stay on the primary: inside `onPrimary()`, and for a while
 * after a write the read must see (read-your-writes, since a replica applies
 * the primary's changes with a delay). The backend then picks the server.
 *
 * Scopes live in an AsyncLocalStorage of this database alone (like
 * transactions), so they follow a request across awaits and never cross into
 * another database's routing.
 */
export class ReadRouting {
  readonly #scopes = new AsyncLocalStorage<RoutingScope>();
  readonly #stickyMs: number;
  /** Writes outside any `readYourWrites()` scope: with `stickyAfterWriteMs`, every unscoped read waits them out. */
  readonly #database: WriteClock = { at: undefined };

  /** @param stickyAfterWriteMs see `DatabaseOptions.stickyAfterWriteMs`. */
  constructor(stickyAfterWriteMs: number) {
    this.#stickyMs = checkSticky(stickyAfterWriteMs);
  }

  /** The `stickyAfterWriteMs` in effect. */
  get stickyAfterWriteMs(): number {
    return this.#stickyMs;
  }

  /** Runs `fn` with every read it starts, however deep, sent to the primary. */
  onPrimary<T>(fn: () => T): T {
    return this.#scopes.run({ primary: true, clock: this.#scopes.getStore()?.clock }, fn);
  }

  /** Runs `fn` in a read-your-writes scope (joins the enclosing one: a nested call opens none). */
  readYourWrites<T>(fn: () => T): T {
    const scope = this.#scopes.getStore();
    if (scope?.clock) return fn();
    return this.#scopes.run({ primary: scope?.primary ?? false, clock: { at: undefined } }, fn);
  }

  /** The intent to acquire with: a read stays a read unless it must see the primary. */
  route(intent: ConnectionIntent): ConnectionIntent {
    if (intent === 'write') return 'write';
    const scope = this.#scopes.getStore();
    if (scope?.primary) return 'write';
    const at = (scope?.clock ?? this.#database).at;
    if (at === undefined) return 'read';
    // Inside a scope, 0 means "for the rest of the scope"; outside one, 0 turns stickiness off.
    if (scope?.clock && this.#stickyMs === 0) return 'write';
    return performance.now() - at < this.#stickyMs ? 'write' : 'read';
  }

  /** Notes that work that may have written has just finished (a statement, a transaction's end, a blocking evaluation). */
  wrote(): void {
    const clock = this.#scopes.getStore()?.clock;
    if (clock) clock.at = performance.now();
    else if (this.#stickyMs > 0) this.#database.at = performance.now();
  }
}

function checkSticky(ms: number): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new TypeError(`stickyAfterWriteMs must be a non-negative number of milliseconds (0: off outside readYourWrites()), received ${String(ms)}`);
  }
  return ms;
}
