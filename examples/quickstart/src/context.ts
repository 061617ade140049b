import type { Database, QueryEvent } from '@pewit/core';
import type { TourModels } from './models.js';

/** What every section of the tour works with. */
export interface Tour extends TourModels {
  readonly db: Database;
}

/** Runs `fn` and returns its value with the statements it sent (from `db.on('query')`). */
export async function withStatements<T>(db: Database, fn: () => Promise<T>): Promise<{ value: T; statements: QueryEvent[] }> {
  const statements: QueryEvent[] = [];
  const stop = db.on('query', (event) => statements.push(event));
  try {
    return { value: await fn(), statements };
  } finally {
    stop();
  }
}
