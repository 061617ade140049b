import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { compile, type Expressible } from '@pewit/query';
import { SerializationError } from '../errors/database-errors.js';
import { mapDatabaseError } from '../errors/map-error.js';
import { BlockingEvaluationError } from '../errors/usage-errors.js';
import { describe, type EvaluationDescription } from '../evaluation/description.js';
import { type Program, single } from '../evaluation/program.js';
import { runProgram } from '../evaluation/run-program.js';
import { register } from '../model/model.js';
import type { AnyModelClass } from '../model/types.js';
import { type CursorHost, cursorBatches } from '../query/stream.js';
import { type CreateTablesOptions, createTablesProgram, type DropTablesOptions, dropTablesProgram } from '../schema/schema-programs.js';
import type { AtomicOptions } from './atomic-options.js';
import { insideOwnCursor, markCursor } from './cursor-context.js';
import { decodeResult, type ExecuteResult } from './decode-result.js';
import type { Connection, RawResult, Statement } from './driver.js';
import { type DatabaseEvents, Emitter, type EvaluationEvent, type EvaluationPath } from './events.js';
import { runInTransaction, Transaction, type TransactionHost } from './transaction.js';
import { transactionStorage } from './transaction-scope.js';

const allowBlockingStorage = new AsyncLocalStorage<boolean>();

/**
 * The database contract. Core owns evaluation, events, transactions and error
 * mapping; a backend subclass only provides transport: `acquire`/`release`
 * for async connections, `sendBlocking` for the blocking connection, and
 * `shutdown`.
 *
 * @example
 * const db = new PostgresqlDatabase(process.env.DATABASE_URL!);
 * db.on('query', (e) => console.log(e.sql, e.durationMs));
 * await db.execute(sql`SELECT 1 AS one`); // SELECT 1 AS one
 */
export abstract class Database {
  readonly #events = new Emitter<DatabaseEvents>();
  #closed = false;
  /** Depth of `atomicSync` blocks on the blocking connection. */
  #blockingDepth = 0;

  /** Returns an async connection, waiting for one to be free. */
  protected abstract acquire(): Promise<Connection>;
  /** Gives a connection back; `error` is set when the last statement on it failed. */
  protected abstract release(connection: Connection, error?: Error): void;
  /** Sends one statement on the blocking connection and waits for its result. */
  protected abstract sendBlocking(statement: Statement): RawResult;
  /** Closes every connection, the blocking one included. */
  protected abstract shutdown(): Promise<void>;

  /**
   * Subscribes to `query` (one per statement) or `evaluation` (one per
   * evaluation, before it runs) events; returns an unsubscribe function.
   *
   * @example db.on('query', (e) => console.log(e.path, e.sql, e.durationMs))
   */
  on<K extends keyof DatabaseEvents>(name: K, listener: (event: DatabaseEvents[K]) => void): () => void {
    return this.#events.on(name, listener);
  }

  /** Removes a listener added with `on`. */
  off<K extends keyof DatabaseEvents>(name: K, listener: (event: DatabaseEvents[K]) => void): void {
    this.#events.off(name, listener);
  }

  /**
   * True when this database can run a query on another connection while one
   * of its connections is busy, e.g. held by an open cursor. `iterator()` needs
   * it to prefetch per batch: the relation queries run beside the cursor.
   * False here and on `PostgresqlDatabase` (one async connection); true on
   * `PooledPostgresqlDatabase` with `max` of 2 or more.
   *
   * @example new PooledPostgresqlDatabase(url, { max: 10 }).supportsConcurrentConnections // true
   */
  get supportsConcurrentConnections(): boolean {
    return false;
  }

  /** True once `close()` was called. */
  get isClosed(): boolean {
    return this.#closed;
  }

  /** Opens a connection now instead of on first use, so a bad URL fails early. */
  async connect(): Promise<void> {
    this.#assertOpen();
    // Through #acquire, so a refused or failed login is an OperationalError/DatabaseError like on any query.
    const connection = await this.#acquire();
    this.release(connection);
  }

  /** Lets running work finish, then closes every connection (and the blocking worker). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.shutdown();
  }

  /**
   * Runs `fn` without warn mode reporting its blocking evaluations (for set-up
   * code you have decided may block). Works for sync and async functions.
   *
   * @example db.allowBlocking(() => db.createTablesSync([User]))
   */
  allowBlocking<T>(fn: () => T): T {
    return allowBlockingStorage.run(true, fn);
  }

  /** True inside `allowBlocking`. */
  get blockingAllowed(): boolean {
    return allowBlockingStorage.getStore() === true;
  }

  /**
   * Runs raw SQL and returns its rows as plain objects, converted by column type.
   *
   * @example await db.execute(sql`SELECT ${1}::int AS one`) // { rows: [{ one: 1 }], rowCount: 1, … }
   */
  execute(query: Expressible, what?: EvaluationDescription): Promise<ExecuteResult> {
    return this.evaluate(single(compile(query.toNode()), decodeResult), what ?? describe('await', 'db.execute()'));
  }

  /** Blocking twin of `execute`. */
  executeSync(query: Expressible, what?: EvaluationDescription): ExecuteResult {
    return this.evaluateSync(single(compile(query.toNode()), decodeResult), what ?? describe('executeSync', 'db.executeSync()', 'await db.execute(…)'));
  }

  /**
   * The async choke point: every async evaluation in pewit runs here. Emits
   * one `evaluation` event, then sends the program's statements in order.
   */
  async evaluate<T>(program: Program<T>, what: EvaluationDescription): Promise<T> {
    // A transaction already running when close() was called may finish its work.
    if (!this.inTransaction) this.#assertOpen();
    const first = program.next();
    const finish = this.#announce('async', what, first);
    let result: T;
    try {
      result = await runProgram(program, first, (statement) => this.#sendAsync(statement));
    } catch (error) {
      finish?.(error);
      throw error;
    }
    finish?.();
    return result;
  }

  /**
   * The blocking choke point: every blocking evaluation runs here. Refuses to
   * run inside an async transaction (the blocking connection is another
   * session and would deadlock on the transaction's locks).
   */
  evaluateSync<T>(program: Program<T>, what: EvaluationDescription): T {
    this.#assertOpen();
    this.#refuseInsideAsyncTransaction(what);
    const first = program.next();
    const finish = this.#announce('blocking', what, first);
    let result: T;
    try {
      result = runProgram(program, first, (statement) => this.#observe(statement, 'blocking', () => this.sendBlocking(statement))) as T;
    } catch (error) {
      finish?.(error);
      throw error;
    }
    finish?.();
    return result;
  }

  /**
   * Runs `fn` in a transaction: COMMIT when it returns, ROLLBACK when it
   * throws. Nested calls use savepoints. Queries inside run on the
   * transaction's connection without passing a handle.
   *
   * @example
   * await db.atomic(async () => {
   *   await Account.update({ balance: Account.balance.sub(10) }).where(Account.id.eq(1));
   * }); // BEGIN; UPDATE …; COMMIT
   */
  async atomic<T>(fn: () => Promise<T> | T, options: AtomicOptions = {}): Promise<T> {
    const retries = options.retries ?? 0;
    // Only a whole transaction can be retried: a savepoint's serialization failure aborts its parent too.
    const outer = !this.inTransaction;
    for (let attempt = 0; ; attempt++) {
      try {
        return await runInTransaction(this.#transactionHost, fn, options);
      } catch (error) {
        if (!(error instanceof SerializationError) || attempt >= retries || !outer) throw error;
        await new Promise((resolve) => setTimeout(resolve, 5 * 2 ** attempt * (0.5 + Math.random())));
      }
    }
  }

  /**
   * Starts a transaction you end yourself, for the rare case a callback does
   * not fit (inside a transaction: a savepoint). Queries join it only inside
   * `tx.run(fn)`. Always end it: it holds its connection until then.
   *
   * @example
   * const tx = await db.begin({ isolationLevel: 'serializable' }); // BEGIN ISOLATION LEVEL SERIALIZABLE
   * try { await tx.run(() => transfer(a, b)); await tx.commit() }   // …; COMMIT
   * catch (e) { await tx.rollback(); throw e }                       // ROLLBACK
   */
  begin(options: Omit<AtomicOptions, 'retries'> = {}): Promise<Transaction> {
    return Transaction.open(this.#transactionHost, options);
  }

  /**
   * Attaches models to this database (instead of `{ database }` in `model()`).
   * @example db.bind([User, Tweet])
   */
  bind(models: readonly AnyModelClass[]): void {
    for (const cls of models) register(cls).database = this;
  }

  /**
   * CREATE TABLE for each model in foreign-key dependency order (whatever
   * order they are given in), then indexes. `safe` adds IF NOT EXISTS.
   * @example await db.createTables([Tweet, User], { safe: true }) // CREATE TABLE IF NOT EXISTS "users" …; CREATE TABLE IF NOT EXISTS "tweets" …
   */
  createTables(models: readonly AnyModelClass[], options: CreateTablesOptions = {}): Promise<void> {
    return this.evaluate(createTablesProgram(models.map(register), options), describe('await', 'db.createTables()'));
  }
  /** Blocking twin of `createTables`. */
  createTablesSync(models: readonly AnyModelClass[], options: CreateTablesOptions = {}): void {
    this.evaluateSync(createTablesProgram(models.map(register), options), describe('createTablesSync', 'db.createTablesSync()', 'await db.createTables(…)'));
  }
  /** DROP TABLE in reverse dependency order. @example await db.dropTables([User, Tweet], { safe: true, cascade: true }) */
  dropTables(models: readonly AnyModelClass[], options: DropTablesOptions = {}): Promise<void> {
    return this.evaluate(dropTablesProgram(models.map(register), options), describe('await', 'db.dropTables()'));
  }
  /** Blocking twin of `dropTables`. */
  dropTablesSync(models: readonly AnyModelClass[], options: DropTablesOptions = {}): void {
    this.evaluateSync(dropTablesProgram(models.map(register), options), describe('dropTablesSync', 'db.dropTablesSync()', 'await db.dropTables(…)'));
  }

  /** True when the caller runs inside an async `atomic()` of this database. */
  get inTransaction(): boolean {
    const scope = transactionStorage.getStore();
    return scope?.owner === this && !scope.finished;
  }

  /**
   * Blocking twin of `atomic`, on the blocking connection.
   *
   * @example db.atomicSync(() => { User.createSync({ username: 'a' }) }) // BEGIN; INSERT …; COMMIT
   */
  atomicSync<T>(fn: () => T): T {
    this.#assertOpen();
    this.#refuseInsideAsyncTransaction(describe('atomicSync', 'db.atomicSync()', 'await db.atomic(async () => …)'));
    const depth = this.#blockingDepth;
    const savepoint = `pewit_sync_sp_${depth}`;
    this.#controlSync(depth === 0 ? 'BEGIN' : `SAVEPOINT ${savepoint}`);
    this.#blockingDepth++;
    try {
      const value = fn();
      if (value instanceof Promise) throw new TypeError('atomicSync() takes a synchronous function; use db.atomic() for async work');
      this.#blockingDepth--;
      this.#controlSync(depth === 0 ? 'COMMIT' : `RELEASE SAVEPOINT ${savepoint}`);
      return value;
    } catch (error) {
      if (this.#blockingDepth > depth) {
        this.#blockingDepth = depth;
        try {
          this.#controlSync(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}`);
        } catch {
          // The error that made us roll back says more; a failed ROLLBACK means the session is gone (and the transaction with it).
        }
      }
      throw error;
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('the database is closed: create a new database object, or stop using this one after close()');
  }

  #control(text: string, connection: Connection): Promise<RawResult> {
    const statement = { text, values: [] };
    return this.#observe(statement, 'async', () => connection.query(statement));
  }

  /** `acquire()` with the driver's error (refused connection, pool timeout) mapped to pewit's classes. */
  async #acquire(): Promise<Connection> {
    this.#refuseSelfWait();
    try {
      return await this.acquire();
    } catch (error) {
      throw mapDatabaseError(error);
    }
  }

  readonly #transactionHost: TransactionHost = {
    owner: this,
    assertOpen: () => this.#assertOpen(),
    acquire: () => this.#acquire(),
    release: (connection, error) => this.release(connection, error),
    control: (text, connection) => this.#control(text, connection),
  };

  /** A blocking call inside an async transaction would run on the other session and could wait on this transaction's locks forever. */
  #refuseInsideAsyncTransaction(what: EvaluationDescription): void {
    const scope = transactionStorage.getStore();
    if (scope && scope.owner === this && !scope.finished) {
      throw new BlockingEvaluationError(
        `${what.trigger} on ${what.target} inside db.atomic(): a blocking evaluation runs on a separate connection, ` +
          `outside this transaction, and could deadlock on its locks. Use the async form instead` +
          `${what.alternative ? ` (${what.alternative})` : ''}.`,
      );
    }
  }

  /**
   * @internal The server-side cursor behind `SelectQuery.iterator()`: raw
   * batches on the async path, on the transaction's connection inside `atomic()`.
   */
  cursorBatches(statement: Statement, batchSize: number, what: EvaluationDescription): AsyncGenerator<RawResult, void, undefined> {
    const mark = markCursor(this);
    const host: CursorHost = {
      open: async () => {
        const scope = transactionStorage.getStore();
        if (scope && scope.owner === this && !scope.finished) return { connection: scope.connection, release: () => undefined };
        this.#assertOpen();
        const connection = await this.#acquire();
        mark.holding = !this.supportsConcurrentConnections;
        return {
          connection,
          release: (error?: Error) => {
            mark.holding = false;
            this.release(connection, error);
          },
        };
      },
      observe: (s, send) => this.#observe(s, 'async', send),
      announce: () => this.#announce('async', what, { done: false, value: statement }),
    };
    return cursorBatches(host, statement, batchSize);
  }

  /**
   * A query awaited inside `for await (… of q.iterator())` on a database with one async connection would wait
   * for the cursor, which waits for the loop body: a hang. Refuse it at once instead, saying what works.
   */
  #refuseSelfWait(): void {
    if (!insideOwnCursor(this)) return;
    throw new Error(
      `a query inside a for await…of loop over iterator() on ${this.constructor.name} would wait forever: the open cursor ` +
        'holds the only async connection until the loop ends. Load the rows first (await query, or .all()) and loop over ' +
        'the array, run the query after the loop, or stream on a PooledPostgresqlDatabase (max of 2 or more).',
    );
  }

  #controlSync(text: string): void {
    const statement = { text, values: [] };
    this.#observe(statement, 'blocking', () => this.sendBlocking(statement));
  }

  async #sendAsync(statement: Statement): Promise<RawResult> {
    const scope = transactionStorage.getStore();
    if (scope && scope.owner === this) {
      if (scope.finished)
        throw new Error(
          'this transaction has already ended: a query was started inside db.atomic() (or a savepoint) but ran after it returned; await it inside the transaction',
        );
      // One statement at a time on the transaction's connection, also for Promise.all inside it.
      return scope.turns.take(() => this.#observe(statement, 'async', () => scope.connection.query(statement)));
    }
    const connection = await this.#acquire();
    let failure: Error | undefined;
    try {
      return await this.#observe(statement, 'async', () => connection.query(statement));
    } catch (error) {
      failure = error as Error;
      throw error;
    } finally {
      this.release(connection, failure && isConnectionFailure(failure) ? failure : undefined);
    }
  }

  /** Times one statement, maps its error, and emits the `query` event. Works for sync and async sends. */
  #observe<R extends RawResult | Promise<RawResult>>(statement: Statement, path: EvaluationPath, send: () => R): R {
    const start = performance.now();
    const report = (error?: Error) => {
      if (this.#events.has('query')) {
        this.#events.emit('query', { sql: statement.text, params: statement.values, durationMs: performance.now() - start, path, error });
      }
    };
    const fail = (error: unknown): never => {
      const mapped = mapDatabaseError(error, statement.text, statement.values);
      report(mapped);
      throw mapped;
    };
    let result: R;
    try {
      result = send();
    } catch (error) {
      return fail(error);
    }
    if (result instanceof Promise) {
      return result.then((value) => {
        report();
        return value;
      }, fail) as R;
    }
    report();
    return result;
  }

  /** Emits the evaluation event; returns the completion callback, or nothing when nobody listens (the zero-cost path). */
  #announce(path: EvaluationPath, what: EvaluationDescription, first: IteratorResult<Statement, unknown>): ((error?: unknown) => void) | undefined {
    if (!this.#events.has('evaluation')) return undefined;
    const done: ((durationMs: number, error?: unknown) => void)[] = [];
    const event: EvaluationEvent = {
      path,
      what,
      sql: first.done ? '' : first.value.text,
      params: first.done ? [] : first.value.values,
      blockingAllowed: this.blockingAllowed,
      onDone: (callback) => done.push(callback),
    };
    this.#events.emit('evaluation', event);
    const start = performance.now();
    return (error) => {
      const ms = performance.now() - start;
      for (const callback of done) callback(ms, error);
    };
  }
}

/** Errors after which a connection cannot be trusted and must not be reused. */
function isConnectionFailure(error: Error): boolean {
  // 55P03 (LockNotAvailableError) leaves the session usable; a cancel or a kill is treated as before its subclass existed.
  return error.name === 'OperationalError' || error.name === 'QueryCanceledError' || error.name === 'AdminShutdownError';
}
