import { type MessagePort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { RawResult } from '@pewit/core';
import pg from 'pg';
import {
  type BlockingRequest,
  type BlockingResponse,
  type BlockingResult,
  type SerializedError,
  SIGNAL_DEAD,
  SIGNAL_READY,
  serializeError,
} from './blocking-protocol.js';
import { packRows } from './blocking-rows.js';
import { behindPooler } from './pooler-check.js';
import { runQuery } from './raw-query.js';
import { StatementCache, type StatementCachePlan } from './statement-cache.js';

/**
 * The blocking connection's thread: it owns one pg.Client and answers one
 * statement at a time while the main thread waits on the shared signal.
 */
const { port, signal, config, statementCache, spinMillis } = workerData as {
  port: MessagePort;
  signal: Int32Array;
  config: pg.ClientConfig;
  statementCache: StatementCachePlan;
  /** How long to look for the next statement after answering before going back to sleep in the event loop. */
  spinMillis: number;
};

let client: pg.Client | undefined;
/** The prepared statements of `client`'s session; a new session starts with none. */
let statements: StatementCache | undefined;
/** The connection died while idle (e.g. pg_terminate_backend); reported once, on the next statement. */
let lostWhileIdle: SerializedError | undefined;

// Whatever ends this thread (an uncaught error, process.exit), wake the main thread now instead of at its deadline.
process.on('exit', () => {
  Atomics.store(signal, 0, SIGNAL_DEAD);
  Atomics.notify(signal, 0);
});

async function connected(): Promise<pg.Client> {
  if (client) return client;
  const fresh = new pg.Client(config);
  fresh.on('error', (error) => {
    if (client !== fresh) return;
    // The session may have held an open transaction (atomicSync): silently reconnecting would run the
    // next statements outside it, so the loss is reported once and only the call after that reconnects.
    client = undefined;
    lostWhileIdle = serializeError(error);
    fresh.end().catch(() => undefined);
  });
  await fresh.connect();
  // Behind a pooler the session changes between transactions: with the default size, no prepared statements.
  let keep: boolean;
  try {
    keep = statementCache.size > 0 && !(statementCache.unlessPooled && (await behindPooler(fresh)));
  } catch (error) {
    // The check is this session's first statement: a session that cannot answer it is not kept.
    fresh.end().catch(() => undefined);
    throw error;
  }
  client = fresh;
  statements = keep ? new StatementCache(statementCache.size) : undefined;
  return fresh;
}

/** The result with its rows packed into strings for the trip to the main thread (`blocking-rows.ts`). */
function crossing(result: RawResult): BlockingResult {
  return { command: result.command, rowCount: result.rowCount, fields: result.fields, rows: packRows(result.rows, result.fields.length) };
}

function answer(response: BlockingResponse): void {
  port.postMessage(response);
  Atomics.store(signal, 0, SIGNAL_READY);
  Atomics.notify(signal, 0);
}

/** A FATAL error, or a client pg stopped accepting queries on, means the session is gone. */
function sessionGone(error: unknown, c: pg.Client | undefined): boolean {
  const severity = (error as { severity?: unknown }).severity;
  return severity === 'FATAL' || severity === 'PANIC' || (c !== undefined && !(c as unknown as { _queryable: boolean })._queryable);
}

async function handle(request: BlockingRequest | 'close'): Promise<void> {
  if (request === 'close') {
    await client?.end().catch(() => undefined);
    client = undefined;
    port.close();
    return;
  }
  if (lostWhileIdle) {
    const lost = lostWhileIdle;
    lostWhileIdle = undefined;
    answer({
      id: request.id,
      error: {
        ...lost,
        code: lost.code ?? '08006',
        message: `the blocking connection was closed while idle (${lost.message}); the statement was not sent, and the next blocking call opens a new connection`,
      },
    });
    return;
  }
  let c: pg.Client | undefined;
  try {
    c = await connected();
    answer({ id: request.id, result: crossing(await runQuery(c, request, statements)) });
  } catch (error) {
    if (c && sessionGone(error, c)) {
      if (client === c) client = undefined;
      c.end().catch(() => undefined);
    }
    answer({ id: request.id, error: serializeError(error) });
  }
}

/**
 * The next message, if it arrives within `spinMillis`: a caller running blocking statements one after another
 * (a loop of lookups) posts the next before then, and finds this thread awake instead of asleep in its event loop.
 */
function nextSoon(): BlockingRequest | 'close' | undefined {
  if (spinMillis <= 0) return undefined;
  const end = performance.now() + spinMillis;
  do {
    const next = receiveMessageOnPort(port);
    if (next) return next.message as BlockingRequest | 'close';
  } while (performance.now() < end);
  return undefined;
}

port.on('message', async (first: BlockingRequest | 'close') => {
  for (let request: BlockingRequest | 'close' | undefined = first; request !== undefined; request = nextSoon()) {
    await handle(request);
    if (request === 'close') return;
  }
});
