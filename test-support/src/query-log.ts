import type { Database, QueryEvent } from '@pewit/core';

/**
 * Records the statements a database sends, like peewee's assertQueryCount.
 *
 * @example
 * const log = recordQueries(db);
 * await User.select();
 * expect(log.count).toBe(1);
 */
export function recordQueries(db: Database): { readonly events: QueryEvent[]; readonly count: number; readonly sql: string[]; reset(): void; stop(): void } {
  const events: QueryEvent[] = [];
  const stop = db.on('query', (e) => events.push(e));
  return {
    events,
    get count() {
      return events.length;
    },
    get sql() {
      return events.map((e) => e.sql);
    },
    reset: () => {
      events.length = 0;
    },
    stop,
  };
}
