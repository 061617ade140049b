import type { AnyField } from '../fields/field.js';
import { ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';
import { markDirty } from '../meta/dirty.js';
import { RELATED, VALUES } from '../meta/symbols.js';
import { trackBackref } from '../relations/backrefs.js';
import { readRelationSync } from '../relations/foreign-key-loading.js';
import type { Model } from './model.js';
import type { AnyModelClass } from './types.js';

type Slots = { [VALUES]: Record<string, unknown>; [RELATED]: Record<string, unknown> };

/**
 * Defines the instance properties of a model on its prototype, once per
 * model: no per-instance closures. Writes are validated on assignment.
 */
export function defineAccessors(prototype: object, fields: readonly AnyField[]): void {
  for (const field of fields) {
    const name = field.name;
    if (field instanceof ForeignKeyFieldImpl) {
      defineForeignKey(prototype, field);
      trackBackref(field);
      continue;
    }
    Object.defineProperty(prototype, name, {
      configurable: true,
      enumerable: true,
      get(this: Slots) {
        // `?.`: the prototype itself has no values, and inspecting it (util.inspect, test matchers) must not throw.
        return this[VALUES]?.[name];
      },
      set(this: Slots, v: unknown) {
        field.assertWritable();
        this[VALUES][name] = field.coerce(v);
        markDirty(this, name);
      },
    });
  }
}

function isInstanceOf(v: unknown, target: AnyModelClass): v is Model {
  return typeof v === 'object' && v !== null && (v.constructor as AnyModelClass)._meta === target._meta;
}

function defineForeignKey(prototype: object, field: ForeignKeyFieldImpl): void {
  const name = field.name;
  Object.defineProperty(prototype, name, {
    configurable: true,
    enumerable: true,
    get(this: Slots & Model) {
      if (this[RELATED] === undefined) return undefined;
      if (name in this[RELATED]) return this[RELATED][name];
      return readRelationSync(this, field);
    },
    set(this: Slots, v: unknown) {
      this[VALUES][name] = field.coerce(v);
      markDirty(this, name);
      if (isInstanceOf(v, field.target)) this[RELATED][name] = v;
      else delete this[RELATED][name];
    },
  });
  Object.defineProperty(prototype, `${name}Id`, {
    configurable: true,
    enumerable: false,
    get(this: Slots) {
      return this[VALUES]?.[name] ?? null;
    },
    set(this: Slots, v: unknown) {
      this[VALUES][name] = field.coerce(v);
      markDirty(this, name);
      delete this[RELATED][name];
    },
  });
}
