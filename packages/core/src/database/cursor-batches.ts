import type { EvaluationDescription } from '../evaluation/description.js';
import { brokenBy } from './broken-connection.js';
import { type CursorMark, markCursor } from './cursor-context.js';
import type { Connection, RawCursor, RawResult, Statement } from './driver.js';
import type { Execution } from './execution.js';
import type { Lifecycle } from './lifecycle.js';
import { openScopeOf } from './transaction-scope.js';

/** What a cursor runs on: the transaction's connection, or one acquired for it, and how to give it back. */
interface Lease {
  readonly connection: Connection;
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
 * which runs `finally`), and on error.
 */
export function cursorBatches(
  db: CursorDatabase,
  statement: Statement,
  batchSize: number,
  what: EvaluationDescription,
): AsyncGenerator<RawResult, void, undefined> {
  // Marked synchronously, when iterator() is called, so the loop body's own queries see it (cursor-context.ts).
  return readBatches(db, markCursor(db.owner), statement, batchSize, what);
}

/** The database a cursor belongs to, and the parts of it a cursor uses. */
export interface CursorDatabase {
  readonly owner: object & { readonly supportsConcurrentConnections: boolean };
  readonly lifecycle: Lifecycle;
  readonly execution: Execution;
}

async function* readBatches(db: CursorDatabase, mark: CursorMark, statement: Statement, batchSize: number, what: EvaluationDescription) {
  const { execution } = db;
  const finish = execution.announce('async', what, { done: false, value: statement });
  let failure: unknown;
  let lease: Lease | undefined;
  let cursor: RawCursor | undefined;
  try {
    lease = await leaseFor(db, mark);
    const { connection } = lease;
    const observed = (send: () => Promise<RawResult>) => execution.observe(statement, 'async', connection.server, send);
    const open = connection.cursor;
    if (!open) throw new TypeError('this database backend has no server-side cursors: evaluate the query with await instead of iterator()');
    for (let first = true; ; first = false) {
      const batch = await (first
        ? observed(() => {
            cursor = open.call(connection, statement);
            return cursor.read(batchSize);
          })
        : execution.mapErrors(statement, () => (cursor as RawCursor).read(batchSize)));
      if (batch.rows.length > 0) yield batch;
      // A short batch means the portal ran to completion (the server already closed it).
      if (batch.rows.length < batchSize) break;
    }
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    // A session that died mid-stream never answers the Close; it is discarded on release anyway.
    if (cursor && !brokenBy(failure)) {
      const open = cursor;
      await execution
        .mapErrors(statement, () => open.close())
        .catch((error: unknown) => {
          failure ??= error;
        });
    }
    lease?.release(failure);
    finish?.(failure);
  }
}

async function leaseFor({ owner, lifecycle }: CursorDatabase, mark: CursorMark): Promise<Lease> {
  const scope = openScopeOf(owner);
  // Inside atomic() the transaction owns its connection and gives it back when it ends.
  if (scope) return { connection: scope.connection, release: () => undefined };
  lifecycle.assertOpen();
  const connection = await lifecycle.acquire();
  mark.holding = !owner.supportsConcurrentConnections;
  return {
    connection,
    release: (failure) => {
      mark.holding = false;
      lifecycle.release(connection, brokenBy(failure));
    },
  };
}
