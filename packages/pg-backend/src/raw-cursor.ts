import type { RawCursor, RawResult, ResultField, Statement } from '@pewit/core';
import type pg from 'pg';
import Cursor from 'pg-cursor';
import { RAW_TEXT_TYPES, toRawResult } from './raw-query.js';
import { RowsOnArrival } from './rows-on-arrival.js';

/** The parts of pg-cursor's Result this file uses. */
interface PgResult {
  readonly fields: readonly { name: string; dataTypeID: number }[];
  parseRow(cells: readonly (string | null)[]): unknown;
}

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
  // pg-cursor reads every row through its Result's parseRow. The text cells pg's protocol parser made stay the row,
  // as in array-query.ts (no copy, no parser call per cell), and each is read as it arrives (rows-on-arrival.ts).
  const result = (cursor as unknown as { _result: PgResult })._result;
  const arrival = new RowsOnArrival(statement.readRow);
  let fields: readonly ResultField[] | undefined;
  result.parseRow = (cells) => {
    fields ??= result.fields.map((f) => ({ name: f.name, typeId: f.dataTypeID }));
    arrival.row(cells, fields);
    return cells;
  };
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
        cursor.read(count, (error, _rows, batch) => {
          if (error) reject(error);
          else resolve({ ...toRawResult(batch as pg.QueryArrayResult | undefined), values: arrival.take() });
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
