import type { InspectOptionsStylized, inspect as nodeInspect } from 'node:util';
import { ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';
import type { ModelMeta } from '../meta/model-meta.js';
import { RELATED, VALUES } from '../meta/symbols.js';

const CUSTOM = Symbol.for('nodejs.util.inspect.custom');

interface InstanceSlots {
  readonly [VALUES]: Record<string, unknown>;
  readonly [RELATED]: Record<string, unknown>;
}

/**
 * Makes `util.inspect` and `console.log` print a model instance as what it is, `Post { id: 3, title: 'hi' }`,
 * instead of its internal symbol slots. A loaded relation prints as the related instance, an unloaded foreign
 * key as its raw key (`userId: 7`); user-defined own properties follow. Called once, on the base `Model`.
 *
 * @example console.log(await Post.getById(3)) // Post { id: 3, title: 'hi' }
 */
export function installInspect(base: { prototype: object }): void {
  Object.defineProperty(base.prototype, CUSTOM, {
    value: function inspectModel(this: InstanceSlots, depth: number, options: InspectOptionsStylized, inspect: typeof nodeInspect): string {
      const meta = (this.constructor as unknown as { _meta: ModelMeta })._meta;
      const name = this.constructor.name || meta.name;
      if (depth < 0) return options.stylize(`[${name}]`, 'special');
      const shown: Record<string, unknown> = {};
      for (const field of meta.fields) {
        const value = this[VALUES][field.name];
        if (field instanceof ForeignKeyFieldImpl) {
          const related = this[RELATED][field.name];
          if (related !== undefined) shown[field.name] = related;
          else shown[`${field.name}Id`] = value ?? null;
        } else {
          shown[field.name] = value === undefined ? null : value;
        }
      }
      for (const [key, value] of Object.entries(this)) shown[key] = value;
      return `${name} ${inspect(shown, { ...options, depth: options.depth == null ? null : depth })}`;
    },
    writable: true,
    configurable: true,
  });
}
