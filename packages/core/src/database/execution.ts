import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import { mapDatabaseError } from '../errors/map-error.js';
import { BlockingEvaluationError } from '../errors/usage-errors.js';
import type { EvaluationDescription } from '../evaluation/description.js';
import type { Program } from '../evaluation/program.js';
import { runProgram } from '../evaluation/run-program.js';
import { brokenBy } from './broken-connection.js';
import type { Connection, ConnectionIntent, Driver, RawResult, ServerInfo, Statement } from './driver.js';
import { type DatabaseEvents, Emitter, type EvaluationEvent, type EvaluationPath } from './events.js';
import { type Lifecycle, MAX_READ_RETRIES } from './lifecycle.js';
import type { ReadRouting } from './read-routing.js';
import { openScopeOf, scopeOf, type TransactionScope } from './transaction-scope.js';

const allowBlockingStorage = new AsyncLocalStorage<boolean>();

/**
 * The execution of programs, and the one event stream. Every evaluation goes
 * through `evaluate` (async) or `evaluateSync` (blocking), which emit the one
 * `evaluation` event warn mode listens to; every statement, transaction
 * control and cursor reads included, goes through `observe`, which times it,
 * maps its error and emits the `query` event. A read (`intent: 'read'`)
 * that fails where the backend says it may be sent again (a replica that went
 * away) is sent again here, so the caller never sees that failure.
 */
export class Execution {
  readonly events = new Emitter<DatabaseEvents>();
  readonly #owner: object;
  readonly #lifecycle: Lifecycle;
  readonly #driver: Driver;
  readonly #routing: ReadRouting;

  constructor(owner: object, lifecycle: Lifecycle, driver: Driver, routing: ReadRouting) {
    this.#owner = owner;
    this.#lifecycle = lifecycle;
    this.#driver = driver;
    this.#routing = routing;
  }

  /** Runs `fn` with blocking evaluations marked as allowed (`EvaluationEvent.blockingAllowed`). */
  allowBlocking<T>(fn: () => T): T {
    return allowBlockingStorage.run(true, fn);
  }

  get blockingAllowed(): boolean {
    return allowBlockingStorage.getStore() === true;
  }

  /**
   * The async choke point: one `evaluation` event, then the program's statements in order. `intent` is
   * `'read'` only for plain reads (outside a transaction they may go to a replica); default `'write'`.
   */
  async evaluate<T>(program: Program<T>, what: EvaluationDescription, intent: ConnectionIntent = 'write'): Promise<T> {
    // A transaction already running when close() was called may finish its work.
    if (!openScopeOf(this.#owner)) this.#lifecycle.assertOpen();
    const first = program.next();
    const finish = this.announce('async', what, first);
    let result: T;
    try {
      result = await runProgram(program, first, (statement) => this.#sendAsync(statement, intent));
    } catch (error) {
      finish?.(error);
      throw error;
    }
    finish?.();
    return result;
  }

  /**
   * The blocking choke point; refused inside an async transaction of the same database. The blocking
   * connection is one session on the primary, so `intent` only says whether later reads must see this work.
   */
  evaluateSync<T>(program: Program<T>, what: EvaluationDescription, intent: ConnectionIntent = 'write'): T {
    this.#lifecycle.assertOpen();
    this.refuseInsideAsyncTransaction(what);
    const first = program.next();
    const finish = this.announce('blocking', what, first);
    let result: T;
    try {
      result = runProgram(program, first, (statement) => this.sendBlocking(statement)) as T;
    } catch (error) {
      finish?.(error);
      throw error;
    } finally {
      if (intent === 'write' && this.#driver.routesReads) this.#routing.wrote();
    }
    finish?.();
    return result;
  }

  /** Notes blocking work that may have written (`atomicSync`), for read-your-writes. */
  wroteBlocking(): void {
    if (this.#driver.routesReads) this.#routing.wrote();
  }

  /** One statement on the blocking connection, observed. */
  sendBlocking(statement: Statement): RawResult {
    return this.observe(statement, 'blocking', this.#driver.blockingServer, () => this.#driver.sendBlocking(statement));
  }

  /** One statement on a connection the caller holds (transaction control, cursors), observed. */
  sendOn(connection: Connection, statement: Statement): Promise<RawResult> {
    return this.observe(statement, 'async', connection.server, () => connection.query(statement));
  }

  /**
   * One statement inside a transaction scope, observed: the scope's unsent BEGIN and SAVEPOINTs go ahead of it in
   * the same round trip, each with its own `query` event (before the statement's, timed as the whole trip).
   */
  async sendInScope(scope: TransactionScope, statement: Statement): Promise<RawResult> {
    const { connection } = scope;
    if (scope.unsent.length === 0 || !connection.queryAfter) return this.sendOn(connection, statement);
    const prelude = scope.unsent.splice(0);
    const start = performance.now();
    const controls: Statement[] = prelude.map((text) => ({ text, values: [] }));
    try {
      const result = await connection.queryAfter(prelude, statement);
      for (const control of controls) this.#report(control, 'async', connection.server, start);
      this.#report(statement, 'async', connection.server, start);
      return result;
    } catch (error) {
      const index = (error as { preludeIndex?: unknown }).preludeIndex;
      const failedAt = typeof index === 'number' ? index : controls.length;
      const failed = controls[failedAt] ?? statement;
      const mapped = mapDatabaseError(error, failed.text, failed.values);
      for (const control of controls.slice(0, failedAt)) this.#report(control, 'async', connection.server, start);
      this.#report(failed, 'async', connection.server, start, mapped);
      throw mapped;
    }
  }

  /**
   * Sends the scope's unsent BEGIN and SAVEPOINTs on their own, for what cannot take them along (a cursor).
   * @example await execution.flushUnsent(scope) // BEGIN, when nothing ran in the transaction yet
   */
  async flushUnsent(scope: TransactionScope): Promise<void> {
    for (const text of scope.unsent.splice(0)) await this.sendOn(scope.connection, { text, values: [] });
  }

  /** A blocking call inside an async transaction would run on the other session and could wait on this transaction's locks forever. */
  refuseInsideAsyncTransaction(what: EvaluationDescription): void {
    if (!openScopeOf(this.#owner)) return;
    throw new BlockingEvaluationError(
      `${what.trigger} on ${what.target} inside db.atomic(): a blocking evaluation runs on a separate connection, ` +
        `outside this transaction, and could deadlock on its locks. Use the async form instead` +
        `${what.alternative ? ` (${what.alternative})` : ''}.`,
    );
  }

  async #sendAsync(statement: Statement, intent: ConnectionIntent): Promise<RawResult> {
    const scope = scopeOf(this.#owner);
    if (scope) {
      if (scope.finished)
        throw new Error(
          'this transaction has already ended: a query was started inside db.atomic() (or a savepoint) but ran after it returned; await it inside the transaction',
        );
      // One statement at a time on the transaction's connection, also for Promise.all inside it.
      return scope.turns.take(() => this.sendInScope(scope, statement));
    }
    for (let attempt = 0, wanted = intent; ; attempt++) {
      const connection = await this.#lifecycle.acquire(wanted);
      let failure: unknown;
      let retry: ConnectionIntent | undefined;
      try {
        return await this.sendOn(connection, statement);
      } catch (error) {
        failure = error;
        // Only a read is sent again: it had no effects wherever it got to before failing.
        if (intent === 'read' && attempt < MAX_READ_RETRIES) retry = this.#lifecycle.retryRead(connection, error);
        if (!retry) throw error;
      } finally {
        this.#lifecycle.release(connection, brokenBy(failure));
      }
      wanted = retry;
    }
  }

  /** Times one statement, maps its error, and emits the `query` event. Works for sync and async sends. */
  observe<R extends RawResult | Promise<RawResult>>(statement: Statement, path: EvaluationPath, server: ServerInfo | undefined, send: () => R): R {
    const start = performance.now();
    const report = (error?: Error) => this.#report(statement, path, server, start, error);
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

  /** Emits the `query` event of a statement sent at `start`. */
  #report(statement: Statement, path: EvaluationPath, server: ServerInfo | undefined, start: number, error?: Error): void {
    if (!this.events.has('query')) return;
    this.events.emit('query', {
      sql: statement.text,
      params: statement.values,
      durationMs: performance.now() - start,
      path,
      server: server?.name ?? 'primary',
      serverAddress: server?.host,
      serverPort: server?.port,
      database: server?.database,
      error,
    });
  }

  /** Maps the error of a later step of a statement already observed (a cursor's next read, its close): no second `query` event. */
  mapErrors<R>(statement: Statement, step: () => Promise<R>): Promise<R> {
    return step().catch((error: unknown) => {
      throw mapDatabaseError(error, statement.text, statement.values);
    });
  }

  /** Emits the evaluation event; returns the completion callback, or nothing when nobody listens (the zero-cost path). */
  announce(path: EvaluationPath, what: EvaluationDescription, first: IteratorResult<Statement, unknown>): ((error?: unknown) => void) | undefined {
    if (!this.events.has('evaluation')) return undefined;
    const done: ((durationMs: number, error?: unknown) => void)[] = [];
    const event: EvaluationEvent = {
      path,
      what,
      sql: first.done ? '' : first.value.text,
      params: first.done ? [] : first.value.values,
      blockingAllowed: this.blockingAllowed,
      onDone: (callback) => done.push(callback),
    };
    this.events.emit('evaluation', event);
    const start = performance.now();
    return (error) => {
      const ms = performance.now() - start;
      for (const callback of done) callback(ms, error);
    };
  }
}
