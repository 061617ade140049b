import { performance } from 'node:perf_hooks';
import type { AtomicOptions } from './atomic-options.js';
import type { TransactionPath } from './atomic-program.js';
import { brokenBy } from './broken-connection.js';
import type { RawResult } from './driver.js';
import type { Execution } from './execution.js';
import type { Lifecycle } from './lifecycle.js';
import { openScopeOf, type TransactionScope, TurnQueue, transactionStorage } from './transaction-scope.js';
import { commitControl, committedAsRollback, openStatement, rollbackControl, sendControl } from './transaction-statements.js';

/** What an async transaction needs from its database: connections (lifecycle) and observed control statements (execution). */
export interface TransactionHost {
  readonly owner: object;
  readonly lifecycle: Lifecycle;
  readonly execution: Execution;
}

type State = 'open' | 'ending' | 'committed' | 'rolled back' | 'failed';

/** A savepoint's hold on its parent scope: the parent's next turn waits until `end` is called. */
interface Savepoint {
  readonly name: string;
  readonly end: () => void;
}

/**
 * A transaction (or, inside another one, a savepoint) with manual control.
 * Queries run inside it only within `run(fn)`; they find it through
 * AsyncLocalStorage, across `await`s, timers and `Promise.all`.
 *
 * Prefer `db.atomic(fn)`: a `Transaction` that is never committed or rolled
 * back keeps its connection checked out (on the single-connection backend,
 * every other query waits for it).
 *
 * @example
 * const tx = await db.begin();             // BEGIN
 * await tx.run(() => User.create({ username: 'ann' })); // INSERT … (inside the transaction)
 * await tx.commit();                       // COMMIT
 */
export class Transaction {
  readonly #host: TransactionHost;
  readonly #scope: TransactionScope;
  readonly #savepoint: Savepoint | undefined;
  #state: State = 'open';

  private constructor(host: TransactionHost, scope: TransactionScope, savepoint: Savepoint | undefined) {
    this.#host = host;
    this.#scope = scope;
    this.#savepoint = savepoint;
  }

  /**
   * @internal Opens a transaction, or a savepoint when the caller already runs inside one of the same database.
   * Where the connection can (`Connection.queryAfter`), the BEGIN is not sent on its own: the first statement
   * inside takes it along in its round trip.
   */
  static async open(host: TransactionHost, options: AtomicOptions): Promise<Transaction> {
    const parent = openScopeOf(host.owner);
    if (parent) return Transaction.#openSavepoint(host, parent);
    const begin = openStatement(options, undefined);
    host.lifecycle.assertOpen();
    const connection = await host.lifecycle.acquire();
    const unsent: string[] = [];
    if (connection.queryAfter) unsent.push(begin);
    else {
      try {
        await host.execution.sendOn(connection, { text: begin, values: [] });
      } catch (error) {
        host.lifecycle.release(connection, brokenBy(error));
        throw error;
      }
    }
    const scope: TransactionScope = { owner: host.owner, connection, turns: new TurnQueue(), counter: { savepoints: 0 }, unsent, finished: false };
    return new Transaction(host, scope, undefined);
  }

  static async #openSavepoint(host: TransactionHost, parent: TransactionScope): Promise<Transaction> {
    // Hold one turn of the parent for the savepoint's whole life, so the parent's own statements wait instead of landing inside it.
    let end!: () => void;
    await new Promise<void>((started) => {
      void parent.turns.take(() => {
        started();
        return new Promise<void>((resolve) => {
          end = resolve;
        });
      });
    });
    const name = `pewit_sp_${++parent.counter.savepoints}`;
    const open = openStatement({}, name);
    if (parent.connection.queryAfter) parent.unsent.push(open);
    else {
      try {
        await host.execution.sendOn(parent.connection, { text: open, values: [] });
      } catch (error) {
        end();
        throw error;
      }
    }
    const scope: TransactionScope = {
      owner: host.owner,
      connection: parent.connection,
      turns: new TurnQueue(),
      counter: parent.counter,
      unsent: parent.unsent,
      finished: false,
    };
    return new Transaction(host, scope, { name, end });
  }

  /** `'open'` until `commit()` or `rollback()` starts; `'failed'` when ending it failed. */
  get state(): State {
    return this.#state;
  }

  /** True for a savepoint (a `begin()` or `atomic()` inside another transaction). */
  get isSavepoint(): boolean {
    return this.#savepoint !== undefined;
  }

  /** PostgreSQL backend PID of the connection this transaction holds, when the backend reports it. */
  get processId(): number | undefined {
    return this.#scope.connection.processId;
  }

  /**
   * Runs `fn` inside this transaction: every query it starts, however deep,
   * runs on the transaction's connection.
   * @example await tx.run(() => Account.update({ balance: 0 }).where(Account.id.eq(1))) // UPDATE … inside the transaction
   */
  run<T>(fn: () => Promise<T> | T): Promise<T> {
    if (this.#state !== 'open') return Promise.reject(this.#ended('run()'));
    return transactionStorage.run(this.#scope, async () => await fn());
  }

  /**
   * COMMIT (or RELEASE SAVEPOINT), after any statement still running inside
   * it. Throws when PostgreSQL turned the COMMIT into a ROLLBACK because a
   * statement inside failed.
   */
  async commit(): Promise<void> {
    const savepoint = this.#finish('commit()');
    const control = commitControl(savepoint?.name);
    const outcome = savepoint ? await this.#endSavepoint(savepoint, control, 'committed') : await this.#end(control, 'committed');
    if (outcome === 'rolled back') {
      this.#state = 'rolled back';
      throw committedAsRollback();
    }
  }

  /** ROLLBACK (or ROLLBACK TO SAVEPOINT), after any statement still running inside it. */
  async rollback(): Promise<void> {
    const savepoint = this.#finish('rollback()');
    const control = rollbackControl(savepoint?.name);
    if (savepoint) await this.#endSavepoint(savepoint, control, 'rolled back');
    else await this.#end(control, 'rolled back');
  }

  /** Ends a savepoint: its parent's held turn is given back however the statements went. */
  async #endSavepoint<T>(savepoint: Savepoint, control: Generator<string, T, RawResult>, done: State): Promise<T> {
    try {
      const outcome = await this.#sendInTurn(control);
      this.#state = done;
      return outcome;
    } catch (error) {
      this.#state = 'failed';
      throw error;
    } finally {
      savepoint.end();
    }
  }

  /**
   * Sends the COMMIT or ROLLBACK that ends the outer transaction and gives its
   * connection back, to be discarded when the closing statement broke it.
   */
  async #end<T>(control: Generator<string, T, RawResult>, done: State): Promise<T> {
    let failure: unknown;
    try {
      return await this.#sendInTurn(control);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      this.#state = failure === undefined ? done : 'failed';
      this.#host.lifecycle.release(this.#scope.connection, brokenBy(failure));
    }
  }

  /** Marks the scope finished, so statements started from now on fail loudly instead of running outside it. */
  #finish(method: string): Savepoint | undefined {
    if (this.#state !== 'open') throw this.#ended(method);
    this.#scope.finished = true;
    this.#state = 'ending';
    return this.#savepoint;
  }

  /** Sends a control sequence after any statement still running inside this transaction. */
  #sendInTurn<T>(control: Generator<string, T, RawResult>): Promise<T> {
    return this.#scope.turns.take(async () => sendControl(control, (text) => this.#host.execution.sendInScope(this.#scope, { text, values: [] })));
  }

  #ended(method: string): Error {
    const what = this.#savepoint ? 'savepoint' : 'transaction';
    return new Error(`${method} on a ${what} that is already ${this.#state}; start a new one with db.begin() or db.atomic()`);
  }
}

/** The async path of `runAtomic`: a transaction per call, pinned through AsyncLocalStorage; nested calls are savepoints. */
export function asyncTransactions(host: TransactionHost): TransactionPath<Transaction> {
  return {
    nested: openScopeOf(host.owner) !== undefined,
    open: (options) => Transaction.open(host, options),
    run: (tx, fn) => tx.run(fn),
    commit: (tx) => tx.commit(),
    rollback: (tx) => tx.rollback(),
    pause: pauseAtLeast,
  };
}

/**
 * Waits `ms` by the monotonic clock. A timer alone may fire early: Node starts it from the event loop's cached,
 * whole-millisecond time, which can lag the real clock by a millisecond or more, and the retry delay promises a minimum.
 */
async function pauseAtLeast(ms: number): Promise<void> {
  const end = performance.now() + ms;
  for (let left = ms; left > 0; left = end - performance.now()) {
    await new Promise((resolve) => setTimeout(resolve, Math.ceil(left)));
  }
}
