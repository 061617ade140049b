import type { ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';
import { foreignKeysBetween } from './foreign-keys.js';
import type { ModelMeta } from './model-meta.js';

/**
 * Every model defined in this process, so a model can find the foreign keys
 * that point at it (recursive delete, backrefs) without the user listing
 * them. Held weakly: a model class nobody references any more is forgotten.
 */
const defined = new Set<WeakRef<ModelMeta>>();

/** Called by `model()` for each new model. */
export function registerModel(meta: ModelMeta): void {
  defined.add(new WeakRef(meta));
}

/** The models defined so far that are still alive, in definition order. */
export function definedModels(): ModelMeta[] {
  const out: ModelMeta[] = [];
  for (const ref of defined) {
    const meta = ref.deref();
    if (meta) out.push(meta);
    else defined.delete(ref);
  }
  return out;
}

/**
 * The foreign keys of all defined models that reference `target`, its own
 * self-references included. A foreign key whose thunk cannot be resolved yet
 * (its model is still being defined) cannot point at a live row, so it is skipped.
 */
export function foreignKeysTo(target: ModelMeta): ForeignKeyFieldImpl[] {
  return definedModels().flatMap((meta) => foreignKeysBetween(meta, target));
}
