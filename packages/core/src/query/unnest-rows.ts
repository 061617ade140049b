import { fn, type SelectNode, selectStatement, star, value } from '@pewit/query';
import type { AnyField } from '../fields/field.js';
import { type InsertCell, NodeCell } from './assignments.js';

/**
 * True when the rows of a multi-row INSERT can travel as one array parameter per column (`unnestRows`).
 * They cannot when:
 * - there are fewer than two rows: nothing to gain;
 * - a cell is not a plain value (an expression, a subquery, `DEFAULT` for a generated column): unnest carries
 *   values only;
 * - a cell's parameter is not a scalar (a custom field's array or object parameter would be read as a nested
 *   array element);
 * - a column's own type is an array (`unnest` would flatten `text[][]` into one list of texts).
 */
export function canUnnest(fields: readonly AnyField[], rows: readonly (readonly InsertCell[])[]): boolean {
  if (rows.length < 2 || fields.length === 0) return false;
  if (fields.some((f) => f.castType.endsWith(']'))) return false;
  for (const row of rows) {
    for (const cell of row) {
      if (cell instanceof NodeCell || !isScalar(cell)) return false;
    }
  }
  return true;
}

/**
 * The rows of a multi-row INSERT as one array parameter per column, in place of
 * `VALUES ($1, $2), ($3, $4), …`: PostgreSQL parses and plans a statement of a
 * few parameters instead of thousands, and a statement is no longer limited to
 * 65,535 parameters. Only for rows `canUnnest` accepts.
 *
 * @example unnestRows([idField, nameField], [[1, 'a'], [2, 'b']])
 * // SELECT * FROM unnest($1::integer[], $2::text[])   values: [[1, 2], ['a', 'b']]
 */
export function unnestRows(fields: readonly AnyField[], rows: readonly (readonly InsertCell[])[]): SelectNode {
  const columns = fields.map((field, c) =>
    value(
      rows.map((row) => row[c]),
      `${field.castType}[]`,
    ),
  );
  return selectStatement({ columns: [star()], from: [fn('unnest', columns)] });
}

/** A parameter the driver writes as one array element: text, a number, a boolean, NULL or bytes. */
function isScalar(v: unknown): boolean {
  const type = typeof v;
  return v === null || type === 'string' || type === 'number' || type === 'bigint' || type === 'boolean' || v instanceof Uint8Array;
}
