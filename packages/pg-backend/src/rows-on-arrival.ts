import type { ResultField, Statement } from '@pewit/core';

type Cells = readonly (string | null)[];

/**
 * Reads a statement's rows with its `readRow` as they arrive, while the server is still sending the next ones:
 * for a query (`array-query.ts`) and for each batch of a cursor (`raw-cursor.ts`). Once the reader throws, it
 * stops for good: that result's rows stay text cells, and core reads them afterwards with the same reader, which
 * throws the same error there.
 *
 * @example
 * const arrival = new RowsOnArrival(statement.readRow);
 * arrival.row(cells, fields);      // once per DataRow
 * const values = arrival.take();    // every row read, or undefined
 */
export class RowsOnArrival {
  /** Made at the first row (the columns are known by then); `null` when there is no reader or it threw. */
  #read: ((row: Cells) => unknown) | null | undefined;
  // biome-ignore lint/style/useArrayLiterals: a literal site is what V8 moves to the old generation (array-query.ts).
  #values: unknown[] = new Array();

  constructor(private readonly readRow: Statement['readRow']) {
    if (!readRow) this.#read = null;
  }

  /** Reads one row of a result with columns `fields`. */
  row(cells: Cells, fields: readonly ResultField[]): void {
    if (this.#read === null) return;
    try {
      this.#read ??= (this.readRow as NonNullable<Statement['readRow']>)(fields);
      this.#values.push(this.#read(cells));
    } catch {
      this.#read = null;
    }
  }

  /** The values of the rows since the last `take` (undefined unless every one was read), and a fresh start for the next. */
  take(): unknown[] | undefined {
    const values = this.#read === null ? undefined : this.#values;
    // biome-ignore lint/style/useArrayLiterals: as above.
    this.#values = new Array();
    return values;
  }

  /** Starts over for a new result with other columns (the next statement of a multi-statement query). */
  reset(): void {
    this.#read = this.readRow ? undefined : null;
    // biome-ignore lint/style/useArrayLiterals: as above.
    this.#values = new Array();
  }
}
