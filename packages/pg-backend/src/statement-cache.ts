import { randomBytes } from 'node:crypto';
import type { ResultField } from '@pewit/core';

/**
 * How many prepared statements each connection keeps, and whether a connection found to reach the server through
 * a pooler keeps none (`unlessPooled`: the default size, which the user did not choose for such a setup).
 */
export interface StatementCachePlan {
  readonly size: number;
  readonly unlessPooled: boolean;
}

/**
 * The named prepared statements of one connection: a bounded LRU from SQL
 * text to statement name. A text is prepared the second time it is seen, so
 * one-off statements (DDL, a unique bulk insert) never take a slot; from then
 * on the server skips parse and plan and the client skips the Parse message.
 *
 * Names are never reused: an evicted or invalidated statement gets a fresh
 * name when it is prepared again, so the driver's own record of parsed
 * statements can never send Bind to a name holding other text. Evicted names
 * wait in `stale` until the connection is idle and can `DEALLOCATE` them
 * without touching a transaction.
 *
 * @example
 * const cache = new StatementCache(100);
 * cache.nameFor('SELECT … WHERE "id" = $1'); // undefined: first sight, run unnamed
 * cache.nameFor('SELECT … WHERE "id" = $1'); // 'pewit_3f9a61c2_1': Parse once under that name, then Bind/Execute only
 */
export class StatementCache {
  /** Text → name and when it was last used; a hit only stamps the entry, eviction looks for the oldest stamp. */
  readonly #named = new Map<string, { readonly name: string; used: number; fields?: readonly ResultField[] }>();
  #clock = 0;
  /** Texts seen once, oldest first; bounded like `#named`. */
  readonly #seen = new Set<string>();
  readonly #stale: string[] = [];
  #counter = 0;
  /**
   * A random part in every name of this cache: a pooler that gives this connection's statements to another
   * client's server session makes a name unknown there (26000, handled), never one that session prepared for
   * someone else, which Bind would run with our parameters.
   */
  readonly #prefix = `pewit_${randomBytes(4).toString('hex')}_`;

  /** @param max most statements kept prepared on the connection (at least 1). */
  constructor(readonly max: number) {}

  /** The name to run `text` under, or `undefined` to run it unnamed. */
  nameFor(text: string): string | undefined {
    const known = this.#named.get(text);
    if (known !== undefined) {
      known.used = ++this.#clock;
      return known.name;
    }
    if (!this.#seen.has(text)) {
      this.#see(text);
      return undefined;
    }
    this.#seen.delete(text);
    const fresh = `${this.#prefix}${++this.#counter}`;
    if (this.#named.size >= this.max) this.#evictOldest();
    this.#named.set(text, { name: fresh, used: ++this.#clock });
    return fresh;
  }

  /** The result columns of `text`'s prepared statement, once a run described them (then it runs without a Describe). */
  fieldsOf(text: string): readonly ResultField[] | undefined {
    return this.#named.get(text)?.fields;
  }

  /** Remembers the result columns a run of `text`'s prepared statement was described with. */
  describe(text: string, fields: readonly ResultField[]): void {
    const known = this.#named.get(text);
    if (known) known.fields = fields;
  }

  /** Eviction is rare (a new shape on a full cache), so it scans rather than making every hit reorder a list. */
  #evictOldest(): void {
    let oldest: string | undefined;
    let stamp = Number.POSITIVE_INFINITY;
    for (const [text, entry] of this.#named) {
      if (entry.used < stamp) {
        stamp = entry.used;
        oldest = text;
      }
    }
    if (oldest === undefined) return;
    this.#stale.push((this.#named.get(oldest) as { name: string }).name);
    this.#named.delete(oldest);
  }

  /**
   * Drops `text`'s statement after the server refused it (its plan no longer
   * fits the schema, or the session lost it); `deallocate` when the server
   * still holds it.
   */
  forget(text: string, deallocate: boolean): void {
    const known = this.#named.get(text);
    if (known === undefined) return;
    this.#named.delete(text);
    if (deallocate) this.#stale.push(known.name);
    // It earned its slot once: the next run prepares it again.
    this.#see(text);
  }

  /** Remembers a text as seen once, forgetting the oldest beyond `max` so the set stays as bounded as the cache. */
  #see(text: string): void {
    this.#seen.add(text);
    if (this.#seen.size > this.max) this.#seen.delete(this.#seen.values().next().value as string);
  }

  /** Names to `DEALLOCATE` (emptied by the call). */
  takeStale(): string[] {
    return this.#stale.splice(0);
  }

  /** True when evicted statements wait to be deallocated. */
  get hasStale(): boolean {
    return this.#stale.length > 0;
  }

  /** Statements currently prepared (for tests and diagnostics). */
  get size(): number {
    return this.#named.size;
  }
}
