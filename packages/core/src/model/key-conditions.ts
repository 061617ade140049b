import { binary, type Expressible, logical, type Node } from '@pewit/query';
import type { ModelMeta } from '../meta/model-meta.js';
import { VALUES } from '../meta/symbols.js';
import { valueNode } from '../query/assignments.js';
import type { Model } from './model.js';

/**
 * `getById(key)` conditions: one comparison per key field. A CompositeKey
 * takes a tuple in key order or an object by property name; each part is
 * validated by its field before any SQL is built.
 */
export function keyLookup(meta: ModelMeta, key: unknown): Expressible[] {
  const fields = meta.requireKeyFields('getById');
  if (fields.length === 1) return [(fields[0] as (typeof fields)[number]).eq(key)];
  const names = fields.map((f) => f.name);
  let parts: unknown[];
  if (Array.isArray(key)) {
    if (key.length !== fields.length)
      throw new TypeError(`${meta.name}.getById(): the key has ${fields.length} parts (${names.join(', ')}), received ${key.length}`);
    parts = key;
  } else if (typeof key === 'object' && key !== null) {
    const record = key as Record<string, unknown>;
    const missing = names.filter((n) => record[n] === undefined);
    if (missing.length) throw new TypeError(`${meta.name}.getById(): the key object lacks ${missing.join(', ')}; pass { ${names.join(', ')} }`);
    parts = names.map((n) => record[n]);
  } else {
    throw new TypeError(`${meta.name}.getById(): ${meta.name} has a composite key; pass [${names.join(', ')}] or { ${names.join(', ')} }`);
  }
  return fields.map((f, i) => f.eq(parts[i]));
}

/** `key = $1 [AND …]` for the row an instance was loaded from or saved as. */
export function instanceKeyCondition(meta: ModelMeta, instance: Model, action: string): Node {
  const values = (instance as unknown as { [VALUES]: Record<string, unknown> })[VALUES];
  const comparisons = meta.requireKeyFields(action).map((field) => {
    const key = values[field.name];
    if (key === null || key === undefined) throw new Error(`cannot ${action} this ${meta.name}: it has no ${field.name}; save it first`);
    return binary(field.toNode(), '=', valueNode(field, key));
  });
  return comparisons.length === 1 ? (comparisons[0] as Node) : logical('AND', comparisons);
}
