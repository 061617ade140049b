import { ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';
import type { ModelMeta } from './model-meta.js';

/** The foreign keys of a model, in field order. */
export const foreignKeysOf = (meta: ModelMeta): ForeignKeyFieldImpl[] => meta.fields.filter((f): f is ForeignKeyFieldImpl => f instanceof ForeignKeyFieldImpl);

/**
 * The model a foreign key points at, or `undefined` while its thunk cannot
 * be resolved yet (its model is still being defined, so no query or row can
 * involve it).
 */
export function targetOf(fk: ForeignKeyFieldImpl): ModelMeta | undefined {
  try {
    return fk.target._meta;
  } catch {
    return undefined;
  }
}

/** The foreign keys of `from` that point at `to` (self-references included when `from` is `to`). */
export const foreignKeysBetween = (from: ModelMeta, to: ModelMeta): ForeignKeyFieldImpl[] => foreignKeysOf(from).filter((f) => targetOf(f) === to);
