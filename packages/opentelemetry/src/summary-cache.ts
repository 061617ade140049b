import { type StatementSummary, summarizeStatement } from './statement-summary.js';

const MAX_ENTRIES = 1000;

/**
 * Summaries by SQL text. An application sends the same few hundred statement texts again and again (pewit's
 * SQL depends only on the query's shape; values are parameters), so each is read once. Bounded, oldest out
 * first, for applications that build many shapes.
 */
export class SummaryCache {
  readonly #entries = new Map<string, StatementSummary>();

  /** @example cache.get('SELECT "users"."id" FROM "users"') // { operation: 'SELECT', summary: 'SELECT "users"' } */
  get(sql: string): StatementSummary {
    let summary = this.#entries.get(sql);
    if (summary === undefined) {
      summary = summarizeStatement(sql);
      if (this.#entries.size >= MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value as string);
      this.#entries.set(sql, summary);
    }
    return summary;
  }
}
