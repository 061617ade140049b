import { ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';
import type { ModelMeta } from '../meta/model-meta.js';

/**
 * Orders models so every table comes after the tables it references. Edges
 * that close a cycle are returned as `deferred` targets: their foreign keys
 * are added with ALTER TABLE once all tables exist.
 */
export function dependencyOrder(models: readonly ModelMeta[]): { order: ModelMeta[]; deferred: Map<ModelMeta, Set<ModelMeta>> } {
  const included = new Set(models);
  const order: ModelMeta[] = [];
  const state = new Map<ModelMeta, 'visiting' | 'done'>();
  const deferred = new Map<ModelMeta, Set<ModelMeta>>();
  const visit = (meta: ModelMeta) => {
    state.set(meta, 'visiting');
    for (const field of meta.fields) {
      if (!(field instanceof ForeignKeyFieldImpl)) continue;
      const target = field.target._meta;
      if (target === meta || !included.has(target)) continue;
      const s = state.get(target);
      if (s === 'visiting') {
        const set = deferred.get(meta) ?? new Set();
        set.add(target);
        deferred.set(meta, set);
      } else if (s === undefined) visit(target);
    }
    state.set(meta, 'done');
    order.push(meta);
  };
  for (const meta of models) if (!state.has(meta)) visit(meta);
  return { order, deferred };
}
