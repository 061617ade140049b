import type { EvaluationDescription } from '../evaluation/description.js';
import { brokenBy } from './broken-connection.js';
import { type CursorMark, markCursor } from './cursor-context.js';
import type { Connection, ConnectionIntent, RawCursor, RawResult, Statement } from './driver.js';
import type { Execution } from './execution.js';
import { type Lifecycle, MAX_READ_RETRIES } from './lifecycle.js';
import { openScopeOf } from './transaction-scope.js';

/** What a cursor runs on: the transaction's connection, or one acquired for it, and how to give it back. */
interface Lease {
  readonly connection: Connection;
  /** False for the transaction's connection: nothing is retried there. */
  readonly acquired: boolean;
  release(failure: unknown): void;
}

/**
 * Reads one statement through a server-side cursor, `batchSize` rows per
 * round trip, holding one batch at a time: the async path of
 * `SelectQuery.iterator()`. The connection comes from the same `acquire` as
 * every statement's (the transaction's inside `atomic()`); opening, each read
 * and the close go through `observe`, so their errors are mapped like any
 * statement's. The cursor is closed and the connection given back when the
 * rows run out, when the consumer stops early (`break` calls `return()`,
 * which runs `finally`), and on error. A read cursor (`intent: 'read'`)
 * whose first batch fails where the backend says a read may be sent again
 * opens again elsewhere; once a batch was yielded, an error reaches the loop.
 */
export function cursorBatches(
  db: CursorDatabase,
  statement: Statement,
  batchSize: number,
  what: EvaluationDescription,
  intent: ConnectionIntent = 'write',
): AsyncGenerator<RawResult, void, undefined> {
  // Marked synchronously, when iterator() is called, so the loop body's own queries see it (cursor-context.ts).
  return readBatches(db, markCursor(db.owner), statement, batchSize, what, intent);
}

/** The database a cursor belongs to, and the parts of it a cursor uses. */
export interface CursorDatabase {
  readonly owner: object & { readonly supportsConcurrentConnections: boolean };
  readonly lifecycle: Lifecycle;
  readonly execution: Execution;
}

/** A cursor opened and its first batch read. */
interface Opened {
  readonly lease: Lease;
  readonly cursor: RawCursor;
  readonly first: RawResult;
}

async function* readBatches(
  db: CursorDatabase,
  mark: CursorMark,
  statement: Statement,
  batchSize: number,
  what: EvaluationDescription,
  intent: ConnectionIntent,
) {
  const { execution } = db;
  const finish = execution.announce('async', what, { done: false, value: statement });
  let failure: unknown;
  let opened: Opened | undefined;
  try {
    opened = await openCursor(db, mark, statement, batchSize, intent);
    const { cursor } = opened;
    for (let batch = opened.first; ; batch = await execution.mapErrors(statement, () => cursor.read(batchSize))) {
      if (batch.rows.length > 0) yield batch;
      // A short batch means the portal ran to completion (the server already closed it).
      if (batch.rows.length < batchSize) break;
    }
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    if (opened) failure = await closeCursor(db, opened.lease, opened.cursor, statement, failure);
    finish?.(failure);
  }
}

/** Opens the cursor and reads its first batch; a read that failed before anything was yielded may open again elsewhere. */
async function openCursor(db: CursorDatabase, mark: CursorMark, statement: Statement, batchSize: number, intent: ConnectionIntent): Promise<Opened> {
  const { execution, lifecycle } = db;
  for (let attempt = 0, wanted = intent; ; attempt++) {
    const lease = await leaseFor(db, mark, wanted);
    const { connection } = lease;
    let cursor: RawCursor | undefined;
    try {
      const open = connection.cursor;
      if (!open) throw new TypeError('this database backend has no server-side cursors: evaluate the query with await instead of iterator()');
      const first = await execution.observe(statement, 'async', connection.server, () => {
        cursor = open.call(connection, statement);
        return cursor.read(batchSize);
      });
      return { lease, cursor: cursor as RawCursor, first };
    } catch (error) {
      // Asked before the connection goes back: the backend knows which server lent it.
      const retry = intent === 'read' && attempt < MAX_READ_RETRIES && lease.acquired ? lifecycle.retryRead(connection, error) : undefined;
      let failure: unknown = error;
      if (cursor) failure = await closeCursor(db, lease, cursor, statement, error);
      else lease.release(error);
      if (!retry) throw failure;
      wanted = retry;
    }
  }
}

/** Closes the cursor unless its session died, then gives the connection back; returns the first failure. */
async function closeCursor(db: CursorDatabase, lease: Lease, cursor: RawCursor, statement: Statement, failure: unknown): Promise<unknown> {
  let first = failure;
  // A session that died mid-stream never answers the Close; it is discarded on release anyway.
  if (!brokenBy(first)) {
    await db.execution
      .mapErrors(statement, () => cursor.close())
      .catch((error: unknown) => {
        first ??= error;
      });
  }
  lease.release(first);
  return first;
}

async function leaseFor({ owner, lifecycle, execution }: CursorDatabase, mark: CursorMark, intent: ConnectionIntent): Promise<Lease> {
  const scope = openScopeOf(owner);
  // Inside atomic() the transaction owns its connection and gives it back when it ends; a cursor cannot take
  // the transaction's unsent BEGIN along, so that goes first.
  if (scope) {
    await execution.flushUnsent(scope);
    return { connection: scope.connection, acquired: false, release: () => undefined };
  }
  lifecycle.assertOpen();
  const connection = await lifecycle.acquire(intent);
  mark.holding = !owner.supportsConcurrentConnections;
  return {
    connection,
    acquired: true,
    release: (failure) => {
      mark.holding = false;
      lifecycle.release(connection, brokenBy(failure));
    },
  };
}
