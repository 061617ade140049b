import type { TransactionPath } from './atomic-program.js';
import type { Execution } from './execution.js';
import { commitControl, committedAsRollback, openStatement, rollbackControl, sendControl } from './transaction-statements.js';

/** One `atomicSync` level: how deep it started, and its savepoint (none for the outer transaction). */
interface BlockingTransaction {
  readonly depth: number;
  readonly savepoint: string | undefined;
}

/**
 * The blocking connection's transactions. Its one session runs one thing at
 * a time, synchronously, so a depth counter is all the scope it needs:
 * depth 0 sends BEGIN, deeper calls a savepoint named by their depth.
 */
export class BlockingTransactions {
  readonly #execution: Execution;
  #depth = 0;

  constructor(execution: Execution) {
    this.#execution = execution;
  }

  /** The blocking path of `runAtomic`. */
  path(): TransactionPath<BlockingTransaction> {
    return {
      nested: this.#depth > 0,
      open: (options) => {
        const depth = this.#depth;
        const savepoint = depth === 0 ? undefined : `pewit_sync_sp_${depth}`;
        this.#send(openStatement(options, savepoint));
        this.#depth++;
        return { depth, savepoint };
      },
      run: (_tx, fn) => {
        const value = fn();
        if (value instanceof Promise) throw new TypeError('atomicSync() takes a synchronous function; use db.atomic() for async work');
        return value;
      },
      commit: (tx) => {
        this.#depth = tx.depth;
        if (sendControl(commitControl(tx.savepoint), (text) => this.#send(text)) === 'rolled back') throw committedAsRollback();
      },
      rollback: (tx) => {
        this.#depth = tx.depth;
        sendControl(rollbackControl(tx.savepoint), (text) => this.#send(text));
      },
      pause: (ms) => {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
      },
    };
  }

  #send(text: string) {
    return this.#execution.sendBlocking({ text, values: [] });
  }
}
