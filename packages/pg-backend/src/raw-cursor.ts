import type { RawCursor, RawResult, Statement } from '@pewit/core';
import type pg from 'pg';
import Cursor from 'pg-cursor';
import { RAW_TEXT_TYPES, toRawResult } from './raw-query.js';

const keepCells = (cells: readonly (string | null)[]) => cells;

/**
 * A server-side cursor (pg-cursor: a named portal read with Execute(n)) that
 * returns raw text cells like `runQuery`, so core hydrates its batches with
 * the same row readers. While it is open, pg queues every other query on
 * `client` behind it.
 *
 * @example
 * const cursor = openCursor(client, { text: 'SELECT id FROM big', values: [] });
 * const first = await cursor.read(500); // Execute(portal, 500)
 * await cursor.close();                 // Close(portal); Sync
 */
export function openCursor(client: pg.ClientBase, statement: Statement, onClosed: () => void): RawCursor {
  const cursor = client.query(new Cursor(statement.text, statement.values as unknown[], { rowMode: 'array', types: RAW_TEXT_TYPES }));
  // The text cells pg's protocol parser made are the row, as in array-query.ts: no copy and no parser call per cell
  // (pg-cursor reads every row through its Result's parseRow).
  (cursor as unknown as { _result: { parseRow(cells: readonly (string | null)[]): unknown } })._result.parseRow = keepCells;
  let closed = false;
  const finish = () => {
    if (closed) return;
    closed = true;
    onClosed();
  };
  return {
    read: (count) =>
      new Promise<RawResult>((resolve, reject) => {
        // pg-cursor hands over its result with this batch as `rows` (none at all once the portal is done).
        cursor.read(count, (error, _rows, result) => {
          if (error) reject(error);
          else resolve(toRawResult(result as pg.QueryArrayResult | undefined));
        });
      }),
    close: async () => {
      try {
        // On a dead session pg-cursor would wait forever for ReadyForQuery; the session is discarded anyway.
        if ((client as unknown as { _queryable?: boolean })._queryable !== false) await cursor.close();
      } finally {
        finish();
      }
    },
  };
}
