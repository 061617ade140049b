import type { Database } from '../database/database.js';
import type { RawResult } from '../database/driver.js';
import { describe } from '../evaluation/description.js';
import { type PrefetchGroups, prefetchInto } from '../links/prefetch-program.js';
import type { Model } from '../model/model.js';

const INSTEAD = 'page through with .paginate(), or collect the rows and call prefetch(rows, …) after the loop';

/**
 * The row reader of `iterator()` with `.prefetch(...)`: hydrates a batch,
 * then loads its relations (one query per level, for that batch only) through
 * `db.evaluate`, before its rows are yielded. Refuses up front where the
 * relation queries could not run beside the cursor.
 */
export function prefetchingReader<R>(
  db: Database,
  groups: PrefetchGroups,
  label: string,
  read: (result: RawResult) => R[],
): (result: RawResult) => Promise<R[]> {
  // The transaction's one connection reads the cursor; its turn would not come until the loop ends.
  if (db.inTransaction)
    throw new TypeError(
      `${label}.iterator() cannot prefetch inside db.atomic(): the cursor holds the transaction's connection while you iterate, so the relation queries could not run on it. Stream outside the transaction, ${INSTEAD}`,
    );
  if (!db.supportsConcurrentConnections)
    throw new TypeError(
      `${label}.iterator() cannot prefetch on ${db.constructor.name}: the cursor holds its only async connection while you iterate, so the relation queries would wait for it forever. Stream on a PooledPostgresqlDatabase (max of 2 or more), ${INSTEAD}`,
    );
  const what = describe('for await…of', `${label}.iterator() prefetch`);
  return async (result) => {
    const rows = read(result);
    for (const items of groups) await db.evaluate(prefetchInto(rows as unknown as Model[], items), what, 'read');
    return rows;
  };
}
