import type { RawResult } from '@pewit/core';

/**
 * A result's rows as they cross from the blocking worker to the main thread: every cell of every row in a few
 * long strings. Structured clone copies one flat string with a memcpy, where 1,000 rows of five cells as arrays
 * are 6,000 values to serialize and rebuild one by one; writing and reading the strings costs well under half of
 * that (docs/benchmarks.md "Where the blocking path's extra time goes").
 *
 * Each cell is one length character (the cell's length + 1; 0 for NULL; {@link LONG} for a cell of 65,534
 * characters or more, whose length follows in decimal up to a `:`) and then its text. A chunk ends at a row's end
 * once it passed {@link CHUNK_CHARS}: a cell read back is a slice of its chunk and keeps it alive, so chunks stay
 * small enough that a kept value holds on to at most about 128 KB (and no string nears V8's limit on length).
 */
export interface PackedRows {
  readonly width: number;
  readonly count: number;
  readonly chunks: readonly string[];
}

const NULL = 0;
const LONG = 0xffff;
const CHUNK_CHARS = 1 << 16;

/** Writes `rows` (each `width` cells) into strings; see {@link PackedRows}. */
export function packRows(rows: RawResult['rows'], width: number): PackedRows {
  const chunks: string[] = [];
  let out = '';
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as readonly (string | null)[];
    for (let c = 0; c < width; c++) {
      const cell = row[c];
      if (cell === null || cell === undefined) out += '\u0000';
      else if (cell.length < LONG - 1) out += String.fromCharCode(cell.length + 1) + cell;
      else out += `\uffff${cell.length}:${cell}`;
    }
    if (out.length > CHUNK_CHARS) {
      chunks.push(out);
      out = '';
    }
  }
  if (out.length > 0) chunks.push(out);
  return { width, count: rows.length, chunks };
}

/** Reads what {@link packRows} wrote back into rows of cells. */
export function unpackRows(packed: PackedRows): (string | null)[][] {
  const { width } = packed;
  // Rows without columns (`SELECT FROM t`) write nothing: only their count says how many there were.
  if (width === 0) return Array.from({ length: packed.count }, () => []);
  const rows: (string | null)[][] = [];
  for (const chunk of packed.chunks) {
    let at = 0;
    while (at < chunk.length) {
      const row: (string | null)[] = [];
      for (let c = 0; c < width; c++) {
        const code = chunk.charCodeAt(at);
        if (code === NULL) {
          row.push(null);
          at += 1;
        } else if (code === LONG) {
          const colon = chunk.indexOf(':', at);
          const end = colon + 1 + Number(chunk.slice(at + 1, colon));
          row.push(chunk.slice(colon + 1, end));
          at = end;
        } else {
          row.push(chunk.slice(at + 1, at + code));
          at += code;
        }
      }
      rows.push(row);
    }
  }
  return rows;
}
