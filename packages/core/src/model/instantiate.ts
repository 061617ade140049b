import type { Model } from './model.js';

let pending: Record<string, unknown> | undefined;

/**
 * Builds an instance of the user's class from loaded values without running
 * defaults or validation: the values come from the database. The user's
 * constructor and class-field initializers still run, so subclasses behave.
 */
export function instantiate<T extends Model>(cls: abstract new (...args: any[]) => T, values: Record<string, unknown>): T {
  pending = values;
  try {
    return new (cls as new () => T)();
  } finally {
    pending = undefined;
  }
}

/** Called by the Model constructor: the loaded values, if this construction is a hydration. */
export function takePendingValues(): Record<string, unknown> | undefined {
  const values = pending;
  pending = undefined;
  return values;
}
