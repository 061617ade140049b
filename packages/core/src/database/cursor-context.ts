import { AsyncLocalStorage } from 'node:async_hooks';

/** One `iterator()` cursor, as seen from the code that iterates it. */
export interface CursorMark {
  readonly db: object;
  /** True while the cursor holds a connection of `db` (between acquire and release). */
  holding: boolean;
}

// The cursors the current async context has started. A query awaited inside the `for await` body runs in that
// context, so it can tell "I would wait for my own loop" (a certain hang) from another request waiting its turn.
const storage = new AsyncLocalStorage<readonly CursorMark[]>();

/**
 * Records a new cursor in the caller's async context. Called synchronously from `iterator()`, so the mark is
 * visible to everything the caller awaits afterwards, the loop body included.
 */
export function markCursor(db: object & { readonly supportsConcurrentConnections: boolean }): CursorMark {
  const mark: CursorMark = { db, holding: false };
  // Only a cursor holding a database's one async connection can be waited for by its own loop (`holding` stays
  // false elsewhere), so only then is the mark put in the context: once entered, AsyncLocalStorage costs every
  // promise of the process a hook on Node 20, and a for await loop makes a promise per row.
  if (db.supportsConcurrentConnections) return mark;
  const live = (storage.getStore() ?? []).filter((m) => m.holding);
  storage.enterWith([...live, mark]);
  return mark;
}

/** True when the current async context iterates a cursor that holds a connection of `db`. */
export function insideOwnCursor(db: object): boolean {
  return storage.getStore()?.some((m) => m.holding && m.db === db) ?? false;
}
