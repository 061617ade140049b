import { AsyncLocalStorage } from 'node:async_hooks';
import type { Connection } from './driver.js';

/**
 * Hands out turns one at a time, in request order. A turn ends when the
 * promise returned by its task settles.
 */
export class TurnQueue {
  #tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` once every earlier turn is over. */
  take<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}

/**
 * The async transaction (or savepoint inside one) a piece of code runs in.
 *
 * Statements of a scope take turns on its queue, so `Promise.all` inside a
 * transaction never overlaps statements on the one connection. A savepoint
 * holds a turn of its parent for its whole life: statements of the parent
 * (and sibling savepoints) wait instead of landing inside it.
 */
export interface TransactionScope {
  readonly owner: object;
  readonly connection: Connection;
  readonly turns: TurnQueue;
  /** Shared by every scope of one transaction: numbers savepoint names. */
  readonly counter: { savepoints: number };
  /**
   * Shared by every scope of one transaction: the BEGIN and SAVEPOINTs written but not sent yet, which the next
   * statement carries along in its round trip (`Connection.queryAfter`). Always empty when the connection cannot.
   */
  readonly unsent: string[];
  /** Set once the transaction or savepoint is over, so stray work started inside it fails loudly. */
  finished: boolean;
}

/**
 * One store for the whole process: a scope records which database owns it, so
 * two databases never pick up each other's transactions.
 */
export const transactionStorage = new AsyncLocalStorage<TransactionScope>();

/** The transaction scope of `owner` the caller runs in, ended or not (a statement started in an ended one must fail). */
export function scopeOf(owner: object): TransactionScope | undefined {
  const scope = transactionStorage.getStore();
  return scope?.owner === owner ? scope : undefined;
}

/** The transaction scope of `owner` the caller runs in, when it is still open. */
export function openScopeOf(owner: object): TransactionScope | undefined {
  const scope = scopeOf(owner);
  return scope && !scope.finished ? scope : undefined;
}
