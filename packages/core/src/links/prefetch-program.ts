import { compile, join, logical, type Node, raw, type SelectNode, updateSelect, value } from '@pewit/query';
import type { Program } from '../evaluation/program.js';
import type { AnyField } from '../fields/field.js';
import { ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';
import { foreignKeysBetween, targetOf } from '../meta/foreign-keys.js';
import { isModelClass } from '../meta/model-class.js';
import type { ModelMeta } from '../meta/model-meta.js';
import { RELATED, VALUES } from '../meta/symbols.js';
import type { Model } from '../model/model.js';
import type { AnyModelClass, ForeignKeyBrand } from '../model/types.js';
import type { SelectQuery } from '../query/select-query.js';
import { backrefName } from './backref-name.js';
import { type ManyToManySide, manyToManySides } from './many-to-many.js';
import { ALIAS_OF, isModelAlias, type ModelAlias } from './model-alias.js';

/**
 * What `prefetch(...)` takes for each level: a model, a model alias
 * (self-references), a query of the model (its filters and order apply to
 * the children), or a foreign key, which names the relation where two
 * foreign keys link the same models (`Message.sender`).
 */
export type PrefetchItem = AnyModelClass | ModelAlias<any> | SelectQuery<any, any, any> | ForeignKeyBrand<any>;

/** The levels of a query's `.prefetch(…)` calls: one list per call. */
export type PrefetchGroups = readonly (readonly PrefetchItem[])[];

type Slots = { [VALUES]: Record<string, unknown>; [RELATED]: Record<string, unknown> };
const slots = (m: Model) => m as unknown as Slots;

interface Level {
  readonly meta: ModelMeta;
  readonly instances: readonly Model[];
}

/** How a level's rows relate to an earlier level's rows. */
type Relation =
  /** The children hold a foreign key to the parents: `user.tweets`. */
  | { readonly kind: 'backward'; readonly fk: ForeignKeyFieldImpl; readonly name: string }
  /** The parents hold a foreign key to the children: `tweet.user`. */
  | { readonly kind: 'forward'; readonly fk: ForeignKeyFieldImpl }
  /** Through a join model: `student.courses`. */
  | { readonly kind: 'many'; readonly side: ManyToManySide };

interface Child {
  readonly model: AnyModelClass;
  readonly query: SelectQuery<Model>;
  readonly label: string;
}

const selectAll = (model: AnyModelClass) => (model as AnyModelClass & { select(): SelectQuery<Model> }).select();

/**
 * A level named by a foreign key: backward when it points at the parent
 * level (`User` rows, `Message.sender` → each user's sent messages, under
 * the backref), forward when the parent level holds it (`Message` rows →
 * `message.sender`). A self-reference prefetches children, as for models.
 */
function viaForeignKey(levels: readonly Level[], fk: ForeignKeyFieldImpl): { level: Level; relation: Relation; child: Child } {
  const owner = fk.owner as ModelMeta;
  const label = `${owner.name}.${fk.name}`;
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = levels[i] as Level;
    if (targetOf(fk) === level.meta) {
      const name = backrefName(fk);
      if (!name)
        throw new Error(`prefetch(${label}): it has no backref to hold the ${owner.name} rows of each ${level.meta.name}; declare it with { backref: '…' }`);
      return { level, relation: { kind: 'backward', fk, name }, child: { model: owner.cls, query: selectAll(owner.cls), label } };
    }
    if (owner === level.meta) {
      const target = fk.target;
      return { level, relation: { kind: 'forward', fk }, child: { model: target, query: selectAll(target), label } };
    }
  }
  throw new Error(`prefetch(${label}): the foreign key neither points at nor belongs to ${levels.map((l) => l.meta.name).join(', ')}`);
}

function childOf(item: PrefetchItem): Child {
  if (isModelClass(item)) {
    const cls = item as AnyModelClass & { select(): SelectQuery<Model> };
    return { model: item, query: cls.select(), label: item._meta.name };
  }
  if (isModelAlias(item)) {
    const { model, name } = item[ALIAS_OF];
    return { model, query: (model as AnyModelClass & { select(): SelectQuery<Model> }).select(), label: `${model._meta.name} as "${name}"` };
  }
  const query = item as SelectQuery<Model>;
  if (typeof (query as { sourceModel?: unknown }).sourceModel !== 'function')
    throw new TypeError('prefetch(): each level is a model, a model alias (Model.alias(name)) or a query of a model (Model.select()…)');
  return { model: query.sourceModel, query, label: query.sourceModel._meta.name };
}

/** The relation between a parent level and a child model, or `undefined` when there is none. Children first: a self-reference prefetches children. */
function relationBetween(parent: ModelMeta, child: ModelMeta, label: string): Relation | undefined {
  const backward = foreignKeysBetween(child, parent);
  const forward = foreignKeysBetween(parent, child);
  const many = manyToManySides(parent).filter((s) => s.far()._meta === child);
  const ambiguous = (what: string, owner?: ModelMeta) =>
    new Error(
      `prefetch(${label}): ${what} link ${child.name} with ${parent.name}; name the one you mean${owner ? `: prefetch(${owner.name}.<foreign key>)` : ' (a query of the through model)'}`,
    );
  if (backward.length > 1) throw ambiguous(`several foreign keys (${backward.map((f) => `${child.name}.${f.name}`).join(', ')})`, child);
  if (backward.length === 1) {
    const fk = backward[0] as ForeignKeyFieldImpl;
    const name = backrefName(fk);
    if (!name)
      throw new Error(
        `prefetch(${label}): ${child.name}.${fk.name} has no backref to hold the ${child.name} rows of each ${parent.name}; declare it with { backref: '…' }`,
      );
    return { kind: 'backward', fk, name };
  }
  if (forward.length > 1) throw ambiguous(`several foreign keys (${forward.map((f) => `${parent.name}.${f.name}`).join(', ')})`, parent);
  if (forward.length === 1) return { kind: 'forward', fk: forward[0] as ForeignKeyFieldImpl };
  if (many.length > 1) throw ambiguous(`several many-to-many relations (${many.map((s) => s.name).join(', ')})`);
  if (many.length === 1) return { kind: 'many', side: many[0] as ManyToManySide };
  return undefined;
}

/**
 * The one earlier level of this `.prefetch()` call (or the query's rows) the
 * child relates to, and how. A child that relates to several is refused, not
 * guessed: `Post.select().prefetch(User, Comment)` could mean each post's
 * comments or each author's. Several levels of one model (a tree walked
 * down) take the latest. A level it cannot attach to (its foreign key has
 * no backref) does not count.
 */
function findParent(levels: readonly Level[], child: Child): { level: Level; relation: Relation } {
  const childMeta = child.model._meta;
  const found: { level: Level; relation: Relation }[] = [];
  let refusal: unknown;
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = levels[i] as Level;
    try {
      const relation = relationBetween(level.meta, childMeta, child.label);
      if (relation) found.push({ level, relation });
    } catch (error) {
      refusal ??= error;
    }
  }
  // Levels of one model (a self-reference walked down: children, then grandchildren): the latest, peewee's rule.
  if (found.length > 0 && found.every((f) => f.level.meta === found[0]?.level.meta)) return found[0] as { level: Level; relation: Relation };
  if (found.length > 1) {
    const ways = found.map(({ level, relation }) => `${level.meta.name} (${describeRelation(relation, childMeta)})`).join(' and ');
    throw new Error(
      `prefetch(${child.label}): ${childMeta.name} relates to ${ways}, so it is not clear which rows it belongs to; name the foreign key instead of the model (prefetch(${childMeta.name}.<foreign key>)), or, for the query's own rows, give it its own .prefetch() call`,
    );
  }
  if (refusal) throw refusal;
  throw new Error(`prefetch(${child.label}): ${childMeta.name} has no foreign key or many-to-many relation with ${levels.map((l) => l.meta.name).join(', ')}`);
}

function describeRelation(relation: Relation, child: ModelMeta): string {
  if (relation.kind === 'many') return `many-to-many ${relation.side.name}`;
  const owner = relation.kind === 'backward' ? child.name : (relation.fk.owner as ModelMeta).name;
  return `${owner}.${relation.fk.name}`;
}

function withChild(child: Child, levels: readonly Level[]): { level: Level; relation: Relation; child: Child } {
  return { ...findParent(levels, child), child };
}

/** The distinct, non-null keys of `field` on `instances`, as parameters. */
function keysOf(instances: readonly Model[], name: string, field: AnyField): unknown[] {
  const keys = new Set<unknown>();
  for (const instance of instances) {
    const v = slots(instance)[VALUES][name];
    if (v !== null && v !== undefined) keys.add(v);
  }
  return [...keys].map((k) => field.toDb(k));
}

/**
 * The child query restricted to the parents' keys, and where in its rows the
 * column the children are matched by stands (read back from the raw rows, so
 * it works whatever the query selects): the query's own column when it
 * selects it (`Post.select()` has `author_id`), else one appended last.
 */
function childStatement(query: SelectQuery<Model>, relation: Relation, keys: unknown[]): { node: SelectNode; match: AnyField; at: number } {
  const base = query.toNode();
  const anyOf = (column: Node) => raw(['', ' = ANY(', ')'], [column, value(keys)]);
  const where = (condition: Node) => (base.where ? logical('AND', [base.where, condition]) : condition);
  if (relation.kind === 'many') {
    const links = relation.side.links();
    const on = raw(['', ' = ', ''], [links.far.toNode(), links.far.targetField.toNode()]);
    const matchColumn = links.near.toNode();
    return {
      node: updateSelect(base, {
        columns: [...base.columns, matchColumn],
        joins: [...base.joins, join('inner', links.through._meta.tableNode, on)],
        where: where(anyOf(matchColumn)),
      }),
      match: links.near,
      at: base.columns.length,
    };
  }
  const match = relation.kind === 'backward' ? relation.fk : relation.fk.targetField;
  const column = match.toNode();
  // A bound field has one node, so a selected column of the same field is this very node.
  const selected = base.columns.indexOf(column);
  if (selected >= 0) return { node: updateSelect(base, { where: where(anyOf(column)) }), match, at: selected };
  return { node: updateSelect(base, { columns: [...base.columns, column], where: where(anyOf(column)) }), match, at: base.columns.length };
}

function group(children: readonly Model[], matched: readonly unknown[]): Map<unknown, Model[]> {
  const byKey = new Map<unknown, Model[]>();
  for (let i = 0; i < children.length; i++) {
    const key = matched[i];
    const list = byKey.get(key);
    if (list) list.push(children[i] as Model);
    else byKey.set(key, [children[i] as Model]);
  }
  return byKey;
}

/** Puts the children on their parents (and, backward, each parent on its children). */
function attach(parents: readonly Model[], children: readonly Model[], matched: readonly unknown[], relation: Relation): void {
  const byKey = group(children, matched);
  if (relation.kind === 'forward') {
    const name = relation.fk.name;
    for (const parent of parents) {
      const key = slots(parent)[VALUES][name];
      if (key === null || key === undefined) slots(parent)[RELATED][name] = null;
      else {
        const child = byKey.get(key)?.[0];
        // A child the subquery filtered out stays unloaded: reading it queries, it is not null.
        if (child) slots(parent)[RELATED][name] = child;
      }
    }
    return;
  }
  const name = relation.kind === 'backward' ? relation.name : relation.side.name;
  const keyName = relation.kind === 'backward' ? relation.fk.targetField.name : relation.side.links().near.targetField.name;
  for (const parent of parents) {
    const list = byKey.get(slots(parent)[VALUES][keyName]) ?? [];
    slots(parent)[RELATED][name] = list;
    if (relation.kind === 'backward') for (const child of list) slots(child)[RELATED][relation.fk.name] = parent;
  }
}

/**
 * Loads the levels `items` onto `roots`: one query per level, each
 * restricted to the keys of the level it relates to (`WHERE fk = ANY($1)`),
 * children matched in memory. A level with no keys to look for sends
 * nothing. The same program runs on the async and the blocking path.
 */
export function* prefetchInto(roots: readonly Model[], items: readonly PrefetchItem[]): Program<void> {
  if (roots.length === 0 || items.length === 0) return;
  const first = roots[0] as Model;
  if (typeof first !== 'object' || first === null || !('_meta' in (first.constructor as object)))
    throw new TypeError('prefetch() needs model instances: drop .dicts() / .tuples() from the query, or prefetch before converting the rows');
  const levels: Level[] = [{ meta: (first.constructor as AnyModelClass)._meta, instances: roots }];
  for (const item of items) {
    const { level, relation, child } =
      item instanceof ForeignKeyFieldImpl ? viaForeignKey(levels, item) : withChild(childOf(item as Exclude<PrefetchItem, ForeignKeyBrand<any>>), levels);
    const keyField =
      relation.kind === 'backward' ? relation.fk.targetField : relation.kind === 'forward' ? relation.fk : relation.side.links().near.targetField;
    const keyName = relation.kind === 'forward' ? relation.fk.name : keyField.name;
    const keys = keysOf(level.instances, keyName, keyField);
    let children: Model[] = [];
    let matched: unknown[] = [];
    if (keys.length > 0) {
      const { node, match, at } = childStatement(child.query, relation, keys);
      const result = yield compile(node);
      children = child.query.read(result);
      matched = result.rows.map((row) => {
        const cell = row[at];
        return cell === null || cell === undefined ? null : match.fromDb(cell);
      });
    }
    attach(level.instances, children, matched, relation);
    levels.push({ meta: child.model._meta, instances: children });
  }
}

/**
 * A query's program followed by the prefetch of its rows: `query.prefetch(...)`
 * on every path. Each `.prefetch(…)` call is a group that starts again from
 * the query's own rows; within a call, each level hangs on the latest
 * earlier level of that call it relates to.
 */
export function* withPrefetch<R>(program: Program<R[]>, groups: PrefetchGroups): Program<R[]> {
  const rows = yield* program;
  for (const items of groups) yield* prefetchInto(rows as unknown as Model[], items);
  return rows;
}
