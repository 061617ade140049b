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
import type { ConnectionIntent, Driver, RawResult, Statement } from './driver.js';
import type { DatabaseEvents } from './events.js';
import { Execution } from './execution.js';
import { Lifecycle } from './lifecycle.js';
import { ReadRouting } from './read-routing.js';
import { asyncTransactions, Transaction, type TransactionHost } from './transaction.js';
import { openScopeOf } from './transaction-scope.js';

/** Options of `Database` itself, whatever the backend (backends pass them on). */
export interface DatabaseOptions {
  /**
   * How long reads stay on the primary after a write (default 0), so they see it despite replica lag.
   * Outside a `readYourWrites()` scope it counts any write through the database (0: off); inside one,
   * only the scope's own writes, and 0 keeps the scope's reads on the primary from its first write to its end.
   * Matters only on a backend with read replicas.
   * @example new PooledPostgresqlDatabase(url, { replicas: [replicaUrl], stickyAfterWriteMs: 2_000 })
   */
  readonly stickyAfterWriteMs?: number | undefined;
}

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
  readonly #routing: ReadRouting;

  /**
   * @param driver the backend's transport: async connections, the blocking connection, shutdown.
   * @param options `stickyAfterWriteMs`: how long reads stay on the primary after a write (read replicas).
   */
  constructor(driver: Driver, options: DatabaseOptions = {}) {
    this.#driver = driver;
    this.#routing = new ReadRouting(options.stickyAfterWriteMs ?? 0);
    this.#lifecycle = new Lifecycle(driver, this, this.#routing);
    this.#execution = new Execution(this, this.#lifecycle, driver, this.#routing);
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
   * `intent` is `'read'` only for a plain read (no lock, no write anywhere in
   * it), which outside a transaction may run on a read replica; the default,
   * `'write'`, keeps the work on the primary.
   */
  evaluate<T>(program: Program<T>, what: EvaluationDescription, intent: ConnectionIntent = 'write'): Promise<T> {
    return this.#execution.evaluate(program, what, intent);
  }

  /**
   * The blocking choke point: every blocking evaluation runs here. Refuses to
   * run inside an async transaction (the blocking connection is another
   * session and would deadlock on the transaction's locks). It always runs on
   * the primary; `intent` says whether later reads must see it.
   */
  evaluateSync<T>(program: Program<T>, what: EvaluationDescription, intent: ConnectionIntent = 'write'): T {
    return this.#execution.evaluateSync(program, what, intent);
  }

  /**
   * Runs `fn` with every query it starts, however deep and across awaits,
   * on the primary: for reads that must see the newest data (a balance
   * before a payment, a row a webhook announced). Writes and transactions go
   * to the primary anyway; without read replicas this changes nothing.
   *
   * @example
   * const fresh = await db.onPrimary(() => Order.getById(id)); // SELECT … FROM "orders" WHERE … (on the primary)
   */
  onPrimary<T>(fn: () => T): T {
    return this.#routing.onPrimary(fn);
  }

  /**
   * Runs `fn` (a request, a job) as one read-your-writes scope: once it has
   * written, its reads go to the primary, for `stickyAfterWriteMs` after each
   * write, or to the end of the scope when that option is 0. Other scopes'
   * writes do not move its reads. A nested call joins the enclosing scope.
   * Without read replicas this changes nothing.
   *
   * @example
   * app.use((req, res, next) => db.readYourWrites(next)); // per request
   * await db.readYourWrites(async () => {
   *   await Todo.create({ title: 'milk' }); // INSERT … (primary)
   *   return Todo.select();                 // SELECT … (primary: this scope wrote)
   * });
   */
  readYourWrites<T>(fn: () => T): T {
    return this.#routing.readYourWrites(fn);
  }

  /**
   * True when this database may send plain reads to read replicas (a pooled backend given `replicas`). Queries
   * judge whether they are plain reads only then: on every other database that walk of the query would be paid on
   * each evaluation for nothing.
   *
   * @example new PooledPostgresqlDatabase(url, { replicas: [replicaUrl] }).routesReads // true
   */
  get routesReads(): boolean {
    return this.#driver.routesReads === true;
  }

  /** How long reads stay on the primary after a write (the `stickyAfterWriteMs` option, default 0). */
  get stickyAfterWriteMs(): number {
    return this.#routing.stickyAfterWriteMs;
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
    try {
      return runAtomic(this.#blocking.path(), fn, options) as T;
    } finally {
      this.#execution.wroteBlocking();
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
   * batches on the async path, on the transaction's connection inside `atomic()`
   * (outside one, a `'read'` cursor may run on a read replica).
   */
  cursorBatches(
    statement: Statement,
    batchSize: number,
    what: EvaluationDescription,
    intent: ConnectionIntent = 'write',
  ): AsyncGenerator<RawResult, void, undefined> {
    return cursorBatches({ owner: this, lifecycle: this.#lifecycle, execution: this.#execution }, statement, batchSize, what, intent);
  }
}
