import { compile, type Expressible } from '@pewit/query';
import { describe, type EvaluationDescription } from '../evaluation/description.js';
import { type Program, single } from '../evaluation/program.js';
import { bindModels, createTables, createTablesSync, dropTables, dropTablesSync } from '../model/tables.js';
import type { AnyModelClass } from '../model/types.js';
import type { CreateTablesOptions, DropTablesOptions } from '../schema/schema-programs.js';
import type { AtomicOptions } from './atomic-options.js';
import { runAtomic } from './atomic-program.js';
import { BlockingTransactions } from './blocking-transaction.js';
import { cursorBatches } from './cursor-batches.js';
import { decodeResult, type ExecuteResult } from './decode-result.js';
import type { Driver, RawResult, Statement } from './driver.js';
import type { DatabaseEvents } from './events.js';
import { Execution } from './execution.js';
import { Lifecycle } from './lifecycle.js';
import { asyncTransactions, Transaction, type TransactionHost } from './transaction.js';
import { openScopeOf } from './transaction-scope.js';

/**
 * A database: what models and queries run on. It composes a backend's
 * `Driver` (the transport) with core's parts, each in a file of its own:
 * the lifecycle (`lifecycle.ts`), the execution of programs and the event
 * stream (`execution.ts`), transactions (`transaction.ts`,
 * `blocking-transaction.ts`, one program for both in `atomic-program.ts`)
 * and streaming (`cursor-batches.ts`). Backends pass their driver to the
 * constructor.
 *
 * @example
 * const db = new PostgresqlDatabase(process.env.DATABASE_URL!);
 * db.on('query', (e) => console.log(e.sql, e.durationMs));
 * await db.execute(sql`SELECT 1 AS one`); // SELECT 1 AS one
 */
export class Database {
  readonly #driver: Driver;
  readonly #lifecycle: Lifecycle;
  readonly #execution: Execution;
  readonly #blocking: BlockingTransactions;
  readonly #host: TransactionHost;

  /** @param driver the backend's transport: async connections, the blocking connection, shutdown. */
  constructor(driver: Driver) {
    this.#driver = driver;
    this.#lifecycle = new Lifecycle(driver, this);
    this.#execution = new Execution(this, this.#lifecycle, driver);
    this.#blocking = new BlockingTransactions(this.#execution);
    this.#host = { owner: this, lifecycle: this.#lifecycle, execution: this.#execution };
  }

  /**
   * Subscribes to `query` (one per statement) or `evaluation` (one per
   * evaluation, before it runs) events; returns an unsubscribe function.
   *
   * @example db.on('query', (e) => console.log(e.path, e.sql, e.durationMs))
   */
  on<K extends keyof DatabaseEvents>(name: K, listener: (event: DatabaseEvents[K]) => void): () => void {
    return this.#execution.events.on(name, listener);
  }

  /** Removes a listener added with `on`. */
  off<K extends keyof DatabaseEvents>(name: K, listener: (event: DatabaseEvents[K]) => void): void {
    this.#execution.events.off(name, listener);
  }

  /**
   * True when this database can run a query on another connection while one
   * of its connections is busy, e.g. held by an open cursor. `iterator()` needs
   * it to prefetch per batch: the relation queries run beside the cursor.
   * False on `PostgresqlDatabase` (one async connection); true on
   * `PooledPostgresqlDatabase` with `max` of 2 or more.
   *
   * @example new PooledPostgresqlDatabase(url, { max: 10 }).supportsConcurrentConnections // true
   */
  get supportsConcurrentConnections(): boolean {
    return this.#driver.supportsConcurrentConnections;
  }

  /** True once `close()` was called. */
  get isClosed(): boolean {
    return this.#lifecycle.isClosed;
  }

  /** Opens a connection now instead of on first use, so a bad URL fails early. */
  connect(): Promise<void> {
    return this.#lifecycle.connect();
  }

  /** Lets running work finish, then closes every connection (and the blocking worker). */
  close(): Promise<void> {
    return this.#lifecycle.close();
  }

  /**
   * Runs `fn` without warn mode reporting its blocking evaluations (for set-up
   * code you have decided may block). Works for sync and async functions.
   *
   * @example db.allowBlocking(() => db.createTablesSync([User]))
   */
  allowBlocking<T>(fn: () => T): T {
    return this.#execution.allowBlocking(fn);
  }

  /** True inside `allowBlocking`. */
  get blockingAllowed(): boolean {
    return this.#execution.blockingAllowed;
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
  evaluate<T>(program: Program<T>, what: EvaluationDescription): Promise<T> {
    return this.#execution.evaluate(program, what);
  }

  /**
   * The blocking choke point: every blocking evaluation runs here. Refuses to
   * run inside an async transaction (the blocking connection is another
   * session and would deadlock on the transaction's locks).
   */
  evaluateSync<T>(program: Program<T>, what: EvaluationDescription): T {
    return this.#execution.evaluateSync(program, what);
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
    return await runAtomic(asyncTransactions(this.#host), fn, options);
  }

  /**
   * Blocking twin of `atomic`, on the blocking connection, with the same
   * options (isolation level, read only, retries on `SerializationError`).
   *
   * @example db.atomicSync(() => { User.createSync({ username: 'a' }) }, { isolationLevel: 'serializable', retries: 3 }) // BEGIN ISOLATION LEVEL SERIALIZABLE; INSERT …; COMMIT
   */
  atomicSync<T>(fn: () => T, options: AtomicOptions = {}): T {
    this.#lifecycle.assertOpen();
    this.#execution.refuseInsideAsyncTransaction(describe('atomicSync', 'db.atomicSync()', 'await db.atomic(async () => …)'));
    return runAtomic(this.#blocking.path(), fn, options) as T;
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
    return Transaction.open(this.#host, options);
  }

  /** True when the caller runs inside an async `atomic()` of this database. */
  get inTransaction(): boolean {
    return openScopeOf(this) !== undefined;
  }

  /**
   * Attaches models to this database (instead of `{ database }` in `model()`).
   * @example db.bind([User, Tweet])
   */
  bind(models: readonly AnyModelClass[]): void {
    bindModels(this, models);
  }

  /**
   * CREATE TABLE for each model in foreign-key dependency order (whatever
   * order they are given in), then indexes. `safe` adds IF NOT EXISTS.
   * @example await db.createTables([Tweet, User], { safe: true }) // CREATE TABLE IF NOT EXISTS "users" …; CREATE TABLE IF NOT EXISTS "tweets" …
   */
  createTables(models: readonly AnyModelClass[], options: CreateTablesOptions = {}): Promise<void> {
    return createTables(this, models, options);
  }
  /** Blocking twin of `createTables`. */
  createTablesSync(models: readonly AnyModelClass[], options: CreateTablesOptions = {}): void {
    createTablesSync(this, models, options);
  }
  /** DROP TABLE in reverse dependency order. @example await db.dropTables([User, Tweet], { safe: true, cascade: true }) */
  dropTables(models: readonly AnyModelClass[], options: DropTablesOptions = {}): Promise<void> {
    return dropTables(this, models, options);
  }
  /** Blocking twin of `dropTables`. */
  dropTablesSync(models: readonly AnyModelClass[], options: DropTablesOptions = {}): void {
    dropTablesSync(this, models, options);
  }

  /**
   * @internal The server-side cursor behind `SelectQuery.iterator()`: raw
   * batches on the async path, on the transaction's connection inside `atomic()`.
   */
  cursorBatches(statement: Statement, batchSize: number, what: EvaluationDescription): AsyncGenerator<RawResult, void, undefined> {
    return cursorBatches({ owner: this, lifecycle: this.#lifecycle, execution: this.#execution }, statement, batchSize, what);
  }
}
