import { instantiate } from '../src/meta/instantiate.js';
import type { AnyModelClass } from '../src/model/types.js';

export { excluded, fn } from '../src/index.js';

/** An instance as if loaded from the database (persisted, clean), without a database. */
export function instantiateForTest<M extends AnyModelClass>(cls: M, values: Record<string, unknown>): InstanceType<M> {
  return instantiate(cls, values) as InstanceType<M>;
}
