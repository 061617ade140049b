import type { Model } from '../model/model.js';

/**
 * Values read from the database, handed to the Model constructor as its
 * argument. The constructor recognises the wrapper (a class only pewit can
 * make) and takes the values as they are: no defaults, no validation, no
 * dirty marks. A user's constructor that passes its arguments on to `super`
 * keeps working; one that drops them gets a fresh, unsaved instance.
 */
export class LoadedValues {
  constructor(readonly values: Record<string, unknown>) {}
}

/**
 * Builds an instance of the user's class from loaded values without running
 * defaults or validation: the values come from the database. The user's
 * constructor and class-field initializers still run, so subclasses behave.
 */
export function instantiate<T extends Model>(cls: abstract new (...args: any[]) => T, values: Record<string, unknown>): T {
  return new (cls as new (data: LoadedValues) => T)(new LoadedValues(values));
}
