import type { RawResult, Statement } from '@pewit/core';
import type pg from 'pg';

/**
 * Per-query type parsing: every column comes back as the server's text and
 * core converts it. Passing `types` on each query leaves pg's global parsers
 * untouched, so other code in the process using `pg` sees no change.
 */
export const RAW_TEXT_TYPES = {
  getTypeParser: () => (value: string) => value,
};

/** The query config pewit sends: array rows, raw text cells. */
export function queryConfig(statement: Statement): pg.QueryArrayConfig {
  return { text: statement.text, values: statement.values as unknown[], rowMode: 'array', types: RAW_TEXT_TYPES } as pg.QueryArrayConfig;
}

/** Converts pg's result into core's RawResult. */
export function toRawResult(result: pg.QueryArrayResult): RawResult {
  return {
    command: result.command,
    rowCount: result.rowCount,
    fields: (result.fields ?? []).map((f) => ({ name: f.name, typeId: f.dataTypeID })),
    rows: result.rows as (string | null)[][],
  };
}

export async function runQuery(client: pg.ClientBase, statement: Statement): Promise<RawResult> {
  return toRawResult(await client.query(queryConfig(statement)));
}
