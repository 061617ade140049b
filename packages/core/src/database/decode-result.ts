import { decoderFor } from '../types/text-decoders.js';
import type { RawResult } from './driver.js';

/** Rows of a raw statement as plain objects. */
export interface ExecuteResult {
  readonly command: string;
  readonly rowCount: number | null;
  readonly rows: Record<string, unknown>[];
  readonly fields: readonly string[];
}

/** Converts a raw result by column type OID into plain objects. */
export function decodeResult(result: RawResult): ExecuteResult {
  const decoders = result.fields.map((f) => decoderFor(f.typeId));
  const names = result.fields.map((f) => f.name);
  const rows = result.rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < names.length; i++) {
      const cell = row[i];
      out[names[i] as string] = cell === null || cell === undefined ? null : (decoders[i] as (t: string) => unknown)(cell);
    }
    return out;
  });
  return { command: result.command, rowCount: result.rowCount, rows, fields: names };
}
