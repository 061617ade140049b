import { performance } from 'node:perf_hooks';
import { type Attributes, context, diag, SpanKind, SpanStatusCode, type Tracer, type TracerProvider, trace } from '@opentelemetry/api';
import type { Database, QueryEvent } from '@pewit/core';
import {
  ATTR_DB_NAMESPACE,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_QUERY_SUMMARY,
  ATTR_DB_QUERY_TEXT,
  ATTR_DB_RESPONSE_STATUS_CODE,
  ATTR_DB_SYSTEM_NAME,
  ATTR_ERROR_TYPE,
  ATTR_PEWIT_PATH,
  ATTR_PEWIT_SERVER,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  DB_SYSTEM_NAME_VALUE_POSTGRESQL,
} from './attribute-names.js';
import { describeFailure } from './failure.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './package-info.js';
import { SummaryCache } from './summary-cache.js';

/** Options of `instrument()`. */
export interface InstrumentOptions {
  /** Where spans go; the global tracer provider (`trace.getTracerProvider()`) by default. */
  readonly tracerProvider?: TracerProvider | undefined;
  /**
   * Record `db.query.text`, the statement with its `$n` placeholders (never the values); `true` by default.
   * Turn it off when raw SQL written with `sql.raw()` may hold literals you do not want in traces.
   */
  readonly queryText?: boolean | undefined;
}

/** Stops `instrument()`: removes its listener. Calling it again does nothing. */
export type StopInstrumenting = () => void;

/**
 * Traces every statement `db` sends from now on: one OpenTelemetry CLIENT span per statement (queries, writes,
 * `BEGIN`/`COMMIT`/savepoints, cursor opens), on the async and the blocking path, parented to the span active
 * where the query was awaited or run, with the stable database semantic conventions (`db.system.name`,
 * `db.namespace`, `db.operation.name`, `db.query.summary`, `db.query.text`, `server.address`, `server.port`,
 * and `error.type` / `db.response.status_code` on failures). Parameter values are never recorded.
 * Before `instrument()` is called, and after the returned function is, nothing listens: core does not even build
 * the query event.
 *
 * @example
 * import { instrument } from '@pewit/opentelemetry';
 * const stop = instrument(db);                  // spans go to the global tracer provider
 * await tracer.startActiveSpan('GET /feed', async (span) => {
 *   await Tweet.select().where(Tweet.likes.gte(10));
 *   span.end();
 * });
 * // span 'SELECT "tweets"', child of 'GET /feed':
 * //   db.query.text: SELECT "tweets"."id", … FROM "tweets" WHERE "tweets"."likes" >= $1
 * stop();
 */
export function instrument(db: Database, options: InstrumentOptions = {}): StopInstrumenting {
  if (typeof db?.on !== 'function')
    throw new TypeError('instrument(db): expected a pewit Database (PostgresqlDatabase, PooledPostgresqlDatabase, DatabaseProxy…)');
  const provider = options.tracerProvider ?? trace.getTracerProvider();
  if (typeof provider?.getTracer !== 'function')
    throw new TypeError('instrument(db, { tracerProvider }): expected an OpenTelemetry TracerProvider (with getTracer())');
  const queryText = options.queryText ?? true;
  if (typeof queryText !== 'boolean') throw new TypeError(`instrument(db, { queryText }): expected true or false, received ${String(queryText)}`);
  // A ProxyTracer when the provider is the global one: spans reach whatever provider is registered later.
  const tracer = provider.getTracer(PACKAGE_NAME, PACKAGE_VERSION);
  const summaries = new SummaryCache();

  const listener = (event: QueryEvent): void => {
    // Core emits the event synchronously in the caller's async context, right after the statement finished:
    // the active context is the caller's, and the span ends now and started durationMs ago.
    const end = performance.now();
    try {
      recordStatement(tracer, event, summaries, queryText, end);
    } catch (error) {
      // Tracing must never fail the application's query (core lets a listener's exception through).
      diag.error('@pewit/opentelemetry: could not record a span', error);
    }
  };
  let unsubscribe: (() => void) | undefined = db.on('query', listener);
  return () => {
    unsubscribe?.();
    unsubscribe = undefined;
  };
}

function recordStatement(tracer: Tracer, event: QueryEvent, summaries: SummaryCache, queryText: boolean, end: number): void {
  const { operation, summary } = summaries.get(event.sql);
  const attributes: Attributes = { [ATTR_DB_SYSTEM_NAME]: DB_SYSTEM_NAME_VALUE_POSTGRESQL };
  if (event.database !== undefined) attributes[ATTR_DB_NAMESPACE] = event.database;
  if (operation !== undefined) attributes[ATTR_DB_OPERATION_NAME] = operation;
  if (summary !== undefined) attributes[ATTR_DB_QUERY_SUMMARY] = summary;
  if (queryText) attributes[ATTR_DB_QUERY_TEXT] = event.sql;
  if (event.serverAddress !== undefined) attributes[ATTR_SERVER_ADDRESS] = event.serverAddress;
  if (event.serverPort !== undefined) attributes[ATTR_SERVER_PORT] = event.serverPort;
  attributes[ATTR_PEWIT_PATH] = event.path;
  attributes[ATTR_PEWIT_SERVER] = event.server;

  // The conventions' span name is the summary when there is one. Every statement with an operation has one (its
  // keyword at least), so the next fallbacks, the target (the database) and then the system, name only statements
  // with no keyword to read, such as an empty one.
  const name = summary ?? event.database ?? DB_SYSTEM_NAME_VALUE_POSTGRESQL;
  const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, startTime: end - Math.max(0, event.durationMs), attributes }, context.active());
  if (event.error !== undefined) {
    const failure = describeFailure(event.error, event.params);
    span.setAttribute(ATTR_ERROR_TYPE, failure.type);
    if (failure.sqlState !== undefined) span.setAttribute(ATTR_DB_RESPONSE_STATUS_CODE, failure.sqlState);
    span.recordException(failure.exception, end);
    span.setStatus({ code: SpanStatusCode.ERROR, message: failure.exception.message });
  }
  span.end(end);
}
