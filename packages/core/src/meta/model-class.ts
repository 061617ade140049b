import type { AnyModelClass } from '../model/types.js';
import type { ModelMeta } from './model-meta.js';

/** Whether `v` is a model class (has pewit's `_meta`), as opposed to a field, an expression or a model alias. */
export function isModelClass(v: unknown): v is AnyModelClass {
  return typeof v === 'function' && (v as { _meta?: ModelMeta })._meta !== undefined;
}
