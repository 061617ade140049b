import { DIRTY } from './symbols.js';

/**
 * Which fields of an instance changed since it was loaded or saved. The set
 * is made on the first change: most loaded rows are only read, and a `Set`
 * per row was the largest allocation of hydration.
 */
type Tracked = { [DIRTY]?: Set<string> | undefined };

/** Records that field `name` changed. */
export function markDirty(instance: object, name: string): void {
  const tracked = instance as Tracked;
  (tracked[DIRTY] ??= new Set()).add(name);
}

/** The changed fields, in the order they first changed. */
export function dirtyNames(instance: object): string[] {
  const set = (instance as Tracked)[DIRTY];
  return set ? [...set] : [];
}

/** True when a field changed. */
export function hasDirty(instance: object): boolean {
  return ((instance as Tracked)[DIRTY]?.size ?? 0) > 0;
}

/** Marks field `name` as written. */
export function unmarkDirty(instance: object, name: string): void {
  (instance as Tracked)[DIRTY]?.delete(name);
}

/** Marks every field as written. */
export function clearDirty(instance: object): void {
  (instance as Tracked)[DIRTY] = undefined;
}
