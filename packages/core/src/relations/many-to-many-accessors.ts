import { ManyToManyFieldImpl } from '../fields/many-to-many-field.js';
import { addRelation, addSide, ManyToManyRelation, type ManyToManySide } from '../links/many-to-many.js';
import type { ModelMeta } from '../meta/model-meta.js';
import { RELATED } from '../meta/symbols.js';
import type { Model } from '../model/model.js';
import type { AnyModelClass } from '../model/types.js';
import { whenResolvable } from './backrefs.js';
import { ManyToManyQuery } from './many-to-many-query.js';

type Slots = { [RELATED]: Record<string, unknown> };

/**
 * `model()`, handed in by `model()` itself: an implicit through model is
 * defined with it, and taking it as an argument keeps this module from
 * importing the module that imports it.
 */
export type DefineModel = ConstructorParameters<typeof ManyToManyRelation>[2];

/** The fields of a `model()` call that are columns (many-to-many relations are not). */
export function columnEntries<F extends Record<string, unknown>>(fields: F): [string, F[keyof F]][] {
  return Object.entries(fields).filter(([, f]) => !(f instanceof ManyToManyFieldImpl)) as [string, F[keyof F]][];
}

/**
 * Sets up the many-to-many fields of a new model: the static field, the
 * instance accessor, and the backref on the target once it is defined.
 */
export function attachManyToMany(base: AnyModelClass, meta: ModelMeta, fields: Record<string, unknown>, defineModel: DefineModel): void {
  for (const [name, field] of Object.entries(fields)) {
    if (!(field instanceof ManyToManyFieldImpl)) continue;
    field.bind(meta, name, '');
    Object.defineProperty(base, name, { value: field, enumerable: true });
    const relation = new ManyToManyRelation(meta, field, defineModel);
    addRelation(relation);
    const side = relation.forward();
    addSide(side);
    defineSide(base.prototype as object, side);
    const backref = field.m2mOptions.backref;
    if (backref === undefined) continue;
    whenResolvable(() => {
      let target: AnyModelClass;
      try {
        target = relation.target();
      } catch {
        return false;
      }
      const reverse = relation.reverse(backref);
      const targetMeta = target._meta;
      const prototype = targetMeta.base.prototype as object;
      if (targetMeta.byName.has(backref) || backref in prototype)
        throw new TypeError(`${meta.name}.${name}: the backref "${backref}" collides with ${targetMeta.name}.${backref}; choose another name`);
      addSide(reverse);
      defineSide(prototype, reverse);
      return true;
    });
  }
}

function defineSide(prototype: object, side: ManyToManySide): void {
  Object.defineProperty(prototype, side.name, {
    configurable: true,
    enumerable: false,
    get(this: Model) {
      const loaded = (this as unknown as Slots)[RELATED][side.name];
      return new ManyToManyQuery(this, side, Array.isArray(loaded) ? loaded : undefined);
    },
    set() {
      throw new TypeError(
        `${side.near.name}.${side.name} is a many-to-many relation: change it with await ….${side.name}.set([...]), add(), remove() or clear()`,
      );
    },
  });
}
