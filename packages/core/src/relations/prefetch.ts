import { describe } from '../evaluation/description.js';
import { type PrefetchItem, prefetchInto } from '../links/prefetch-program.js';
import type { Model } from '../model/model.js';
import type { AnyModelClass } from '../model/types.js';

function databaseOf(instances: readonly Model[]) {
  const first = instances[0] as Model;
  return (first.constructor as AnyModelClass)._meta.requireDatabase();
}

/**
 * Loads relations onto instances you already have: one query per level, as
 * `query.prefetch(...)` does. Resolves to the same instances.
 *
 * @example
 * const users = await User.select();
 * await prefetch(users, Tweet); // SELECT …, "tweets"."user_id" FROM "tweets" WHERE "tweets"."user_id" = ANY($1)
 * users[0].tweets;              // the loaded list, no query
 */
export async function prefetch<T extends Model>(instances: readonly T[], ...items: PrefetchItem[]): Promise<T[]> {
  if (instances.length === 0 || items.length === 0) return [...instances];
  // Only SELECTs: a plain read, which may run on a read replica.
  await databaseOf(instances).evaluate(prefetchInto(instances, items), describe('await', 'prefetch()'), 'read');
  return [...instances];
}

/** Blocking twin of `prefetch`. */
export function prefetchSync<T extends Model>(instances: readonly T[], ...items: PrefetchItem[]): T[] {
  if (instances.length === 0 || items.length === 0) return [...instances];
  databaseOf(instances).evaluateSync(prefetchInto(instances, items), describe('prefetchSync', 'prefetchSync()', 'await prefetch(…)'), 'read');
  return [...instances];
}
