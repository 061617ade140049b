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
 * cache.nameFor('SELECT … WHERE "id" = $1'); // 'pewit_1': Parse once as "pewit_1", then Bind/Execute only
 */
export class StatementCache {
  /** Text → name, least recently used first. */
  readonly #named = new Map<string, string>();
  /** Texts seen once, oldest first; bounded like `#named`. */
  readonly #seen = new Set<string>();
  readonly #stale: string[] = [];
  #counter = 0;

  /** @param max most statements kept prepared on the connection (at least 1). */
  constructor(readonly max: number) {}

  /** The name to run `text` under, or `undefined` to run it unnamed. */
  nameFor(text: string): string | undefined {
    const name = this.#named.get(text);
    if (name !== undefined) {
      // Re-insert to mark it most recently used.
      this.#named.delete(text);
      this.#named.set(text, name);
      return name;
    }
    if (!this.#seen.has(text)) {
      this.#seen.add(text);
      if (this.#seen.size > this.max) this.#seen.delete(this.#seen.values().next().value as string);
      return undefined;
    }
    this.#seen.delete(text);
    const fresh = `pewit_${++this.#counter}`;
    this.#named.set(text, fresh);
    if (this.#named.size > this.max) {
      const [oldestText, oldestName] = this.#named.entries().next().value as [string, string];
      this.#named.delete(oldestText);
      this.#stale.push(oldestName);
    }
    return fresh;
  }

  /**
   * Drops `text`'s statement after the server refused it (its plan no longer
   * fits the schema, or the session lost it); `deallocate` when the server
   * still holds it.
   */
  forget(text: string, deallocate: boolean): void {
    const name = this.#named.get(text);
    if (name === undefined) return;
    this.#named.delete(text);
    if (deallocate) this.#stale.push(name);
    // It earned its slot once: the next run prepares it again.
    this.#seen.add(text);
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
