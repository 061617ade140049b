import { AsyncLocalStorage } from 'node:async_hooks';
import type { Connection } from './driver.js';

/** The async transaction a piece of code runs in: its pinned connection and savepoint depth. */
export interface TransactionScope {
  readonly owner: object;
  readonly connection: Connection;
  depth: number;
  /** Set once the transaction is finished, so stray work started inside it fails loudly. */
  finished: boolean;
}

/**
 * One store for the whole process: a scope records which database owns it, so
 * two databases never pick up each other's transactions.
 */
export const transactionStorage = new AsyncLocalStorage<TransactionScope>();
