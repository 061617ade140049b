import type { Database } from '@pewit/core';
import { sql } from '@pewit/query';

/** The lock's key: one per database (advisory locks are per database), the same in every pewit process. */
const KEY = sql`hashtextextended('pewit migrate', 0)`;

/**
 * Takes the session advisory lock that serializes migration runs: a second
 * `pewit migrate up` waits here until the first has finished, then reads the
 * history again and finds nothing left to apply. A session lock (not a
 * transaction one) because it spans several transactions, one per migration;
 * it is released on `release()` or when the session ends, even if the process dies.
 *
 * @example
 * const lock = await acquireMigrationLock(db, () => console.log('waiting…'));
 * // SELECT pg_try_advisory_lock(hashtextextended('pewit migrate', 0)) … SELECT pg_advisory_lock(…)
 * try { … } finally { await lock.release() } // SELECT pg_advisory_unlock(…)
 */
export async function acquireMigrationLock(db: Database, onWait: () => void): Promise<{ release: () => Promise<void> }> {
  const tried = await db.execute(sql`SELECT pg_try_advisory_lock(${KEY}) AS "locked"`);
  if (tried.rows[0]?.locked !== true) {
    onWait();
    await db.execute(sql`SELECT pg_advisory_lock(${KEY})`);
  }
  return {
    release: async () => {
      await db.execute(sql`SELECT pg_advisory_unlock(${KEY})`);
    },
  };
}
