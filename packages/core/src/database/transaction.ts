import { DatabaseError, OperationalError } from '../errors/database-errors.js';
import { type AtomicOptions, beginStatement } from './atomic-options.js';
import type { Connection, RawResult } from './driver.js';
import { type TransactionScope, TurnQueue, transactionStorage } from './transaction-scope.js';

/** What a transaction needs from its database: connections and a way to send (and report) control statements. */
export interface TransactionHost {
  readonly owner: object;
  assertOpen(): void;
  acquire(): Promise<Connection>;
  release(connection: Connection, error?: Error): void;
  control(text: string, connection: Connection): Promise<RawResult>;
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

  /** @internal Opens a transaction, or a savepoint when the caller already runs inside one of the same database. */
  static async open(host: TransactionHost, options: AtomicOptions): Promise<Transaction> {
    const parent = transactionStorage.getStore();
    if (parent && parent.owner === host.owner && !parent.finished) return Transaction.#openSavepoint(host, parent);
    const begin = beginStatement(options);
    host.assertOpen();
    const connection = await host.acquire();
    try {
      await host.control(begin, connection);
    } catch (error) {
      host.release(connection, brokenBy(error));
      throw error;
    }
    const scope: TransactionScope = { owner: host.owner, connection, turns: new TurnQueue(), counter: { savepoints: 0 }, finished: false };
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
    try {
      await host.control(`SAVEPOINT ${name}`, parent.connection);
    } catch (error) {
      end();
      throw error;
    }
    const scope: TransactionScope = { owner: host.owner, connection: parent.connection, turns: new TurnQueue(), counter: parent.counter, finished: false };
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
    if (savepoint) {
      try {
        await this.#sendInTurn(`RELEASE SAVEPOINT ${savepoint.name}`);
        this.#state = 'committed';
      } catch (error) {
        // Undo the savepoint's work so the outer transaction stays usable, then report why it failed.
        await this.#sendInTurn(`ROLLBACK TO SAVEPOINT ${savepoint.name}`).catch(() => undefined);
        this.#state = 'failed';
        throw error;
      } finally {
        savepoint.end();
      }
      return;
    }
    const result = await this.#end('COMMIT', 'committed');
    if (result.command === 'ROLLBACK') {
      this.#state = 'rolled back';
      throw new DatabaseError(
        'COMMIT was turned into ROLLBACK by PostgreSQL: a statement inside the transaction failed and its error was caught, so nothing was saved. ' +
          'Wrap the statement that may fail in a nested db.atomic() so that only it is undone.',
        // The server sends no error here, only the ROLLBACK tag: 25P02 (in_failed_sql_transaction) is the state it was in.
        { sql: 'COMMIT', code: '25P02' },
      );
    }
  }

  /** ROLLBACK (or ROLLBACK TO SAVEPOINT), after any statement still running inside it. */
  async rollback(): Promise<void> {
    const savepoint = this.#finish('rollback()');
    if (savepoint) {
      try {
        await this.#sendInTurn(`ROLLBACK TO SAVEPOINT ${savepoint.name}`);
        this.#state = 'rolled back';
      } catch (error) {
        this.#state = 'failed';
        throw error;
      } finally {
        savepoint.end();
      }
      return;
    }
    await this.#end('ROLLBACK', 'rolled back');
  }

  /**
   * Sends the COMMIT or ROLLBACK that ends the outer transaction and gives its
   * connection back. A connection whose closing statement failed is in an
   * unknown state, so it is handed back with the error and the backend discards it.
   */
  async #end(text: 'COMMIT' | 'ROLLBACK', done: State): Promise<RawResult> {
    let failure: unknown;
    try {
      return await this.#sendInTurn(text);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      this.#state = failure === undefined ? done : 'failed';
      this.#host.release(this.#scope.connection, failure === undefined ? undefined : brokenBy(failure));
    }
  }

  /** Marks the scope finished, so statements started from now on fail loudly instead of running outside it. */
  #finish(method: string): Savepoint | undefined {
    if (this.#state !== 'open') throw this.#ended(method);
    this.#scope.finished = true;
    this.#state = 'ending';
    return this.#savepoint;
  }

  #sendInTurn(text: string): Promise<RawResult> {
    return this.#scope.turns.take(() => this.#host.control(text, this.#scope.connection));
  }

  #ended(method: string): Error {
    const what = this.#savepoint ? 'savepoint' : 'transaction';
    return new Error(`${method} on a ${what} that is already ${this.#state}; start a new one with db.begin() or db.atomic()`);
  }
}

/**
 * Runs `fn` in a transaction (or a savepoint when nested): COMMIT when it
 * returns, ROLLBACK when it throws, and the error propagates.
 */
export async function runInTransaction<T>(host: TransactionHost, fn: () => Promise<T> | T, options: AtomicOptions): Promise<T> {
  const tx = await Transaction.open(host, options);
  let value: T;
  try {
    value = await tx.run(fn);
  } catch (error) {
    // The caller's error is what matters; a failed ROLLBACK already made the backend discard the connection.
    await tx.rollback().catch(() => undefined);
    throw error;
  }
  await tx.commit();
  return value;
}

/**
 * The error to hand to `release()` when a control statement failed: only when
 * the server did not answer normally, so the connection cannot be trusted.
 */
function brokenBy(error: unknown): Error | undefined {
  const answered = error instanceof DatabaseError && error.code !== undefined && !(error instanceof OperationalError);
  if (answered) return undefined;
  return error instanceof Error ? error : new Error(String(error));
}
