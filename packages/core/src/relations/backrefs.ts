import type { ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';
import { backrefName } from '../links/backref-name.js';
import type { ModelMeta } from '../meta/model-meta.js';
import { RELATED, VALUES } from '../meta/symbols.js';
import type { Model } from '../model/model.js';
import type { AnyModelClass } from '../model/types.js';
import type { SelectQuery } from '../query/select-query.js';
import { LoadedQuery } from './loaded-query.js';

type Slots = { [VALUES]: Record<string, unknown>; [RELATED]: Record<string, unknown> };

/**
 * Definitions waiting for a model that could not be resolved yet: a thunk
 * naming a class declared later in the module throws a ReferenceError until
 * that class exists. Each task returns false to be tried again later.
 */
const pending = new Set<() => boolean>();
/** The backrefs defined on each model, by name. */
const defined = new WeakMap<ModelMeta, Map<string, ForeignKeyFieldImpl>>();

/** Runs `task` now or, while it returns false (its models are not all defined yet), before later uses of any model. */
export function whenResolvable(task: () => boolean): void {
  pending.add(task);
  resolvePendingBackrefs();
}

/** Called for each foreign key when its model is defined: adds its back-reference to the target once the target exists. */
export function trackBackref(fk: ForeignKeyFieldImpl): void {
  if (backrefName(fk) === undefined) return;
  whenResolvable(() => {
    let target: AnyModelClass;
    try {
      target = fk.target;
    } catch {
      return false;
    }
    defineBackref(target._meta, fk);
    return true;
  });
}

/**
 * Runs the pending definitions that can run now. Called before every use of
 * a model (`register()`); with nothing pending it costs one size check.
 */
export function resolvePendingBackrefs(): void {
  if (pending.size === 0) return;
  for (const task of [...pending]) {
    // Removed first: a task that throws (a name collision) reports once, not on every later use.
    pending.delete(task);
    if (!task()) pending.add(task);
  }
}

/** The foreign key behind the back-reference `name` of `meta`, if it has one. */
export function backrefOf(meta: ModelMeta, name: string): ForeignKeyFieldImpl | undefined {
  resolvePendingBackrefs();
  return defined.get(meta)?.get(name);
}

/** `user.tweets`: the lazy query of the rows whose foreign key points at this instance. */
export function backrefQuery(instance: Model, fk: ForeignKeyFieldImpl): SelectQuery<Model> {
  const key = (instance as unknown as Slots)[VALUES][fk.targetField.name];
  const owner = fk.owner as ModelMeta;
  if (key === null || key === undefined) {
    const meta = (instance.constructor as AnyModelClass)._meta;
    throw new Error(`${meta.name}.${backrefName(fk)}: this ${meta.name} has no ${fk.targetField.name} yet; save it before reading its ${owner.name} rows`);
  }
  const cls = owner.cls as AnyModelClass & { select(): SelectQuery<Model> };
  return cls.select().where(fk.eq(key));
}

/**
 * The view of a prefetched list, with the key its query was built for, kept on the list itself: reading
 * `user.tweets` in a loop builds nothing. (A WeakMap keyed by the lists measured far worse: its entries made
 * every young-generation collection slower, for more than the queries it saved.)
 */
const VIEW = Symbol('pewit.loadedView');
type Loaded = readonly Model[] & { [VIEW]?: { readonly key: unknown; readonly view: LoadedQuery<Model> } };

/** `user.tweets` after a prefetch: the loaded rows, chainable into a new query; made once per list (and key). */
function loadedView(instance: Model, fk: ForeignKeyFieldImpl, loaded: Loaded): LoadedQuery<Model> {
  const key = (instance as unknown as Slots)[VALUES][fk.targetField.name];
  const known = loaded[VIEW];
  if (known && known.key === key) return known.view;
  const view = new LoadedQuery(backrefQuery(instance, fk), loaded);
  Object.defineProperty(loaded, VIEW, { value: { key, view }, configurable: true, enumerable: false, writable: true });
  return view;
}

function defineBackref(target: ModelMeta, fk: ForeignKeyFieldImpl): void {
  const name = backrefName(fk) as string;
  const owner = fk.owner as ModelMeta;
  const prototype = target.base.prototype as object;
  const byName = defined.get(target) ?? new Map<string, ForeignKeyFieldImpl>();
  if (target.byName.has(name) || byName.has(name) || name in prototype) {
    throw new TypeError(
      `${owner.name}.${fk.name}: the backref "${name}" collides with ${target.name}.${name}; choose another name with { backref: '…' } (or '!' for none)`,
    );
  }
  byName.set(name, fk);
  defined.set(target, byName);
  Object.defineProperty(prototype, name, {
    configurable: true,
    enumerable: false,
    get(this: Model) {
      const loaded = (this as unknown as Slots)[RELATED][name];
      return Array.isArray(loaded) ? loadedView(this, fk, loaded) : backrefQuery(this, fk);
    },
    set() {
      throw new TypeError(
        `${target.name}.${name} is a back-reference query and cannot be assigned; set ${owner.name}.${fk.name} on each ${owner.name} instead`,
      );
    },
  });
}
