import { binary, compile, EMPTY_SELECT, type Node, updateSelect, value } from '@pewit/query';
import type { DoesNotExist } from '../errors/usage-errors.js';
import type { Program } from '../evaluation/program.js';
import type { AnyField } from '../fields/field.js';
import type { ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';
import { clearDirty, dirtyNames, unmarkDirty } from '../meta/dirty.js';
import type { ModelMeta } from '../meta/model-meta.js';
import { foreignKeysTo } from '../meta/registry.js';
import { PERSISTED, RELATED, VALUES } from '../meta/symbols.js';
import { insertRows, valueNode } from '../query/assignments.js';
import { readModels } from '../query/row-readers.js';
import { expandSelection } from '../query/selection.js';
import { instanceKeyCondition } from './key-conditions.js';
import type { Model } from './model.js';
import type { AnyModelClass } from './types.js';

/**
 * The instance lifecycle as programs, so `save()` and `saveSync()` (and the
 * other pairs) share one implementation and differ only in transport.
 */

type Slots = { [VALUES]: Record<string, unknown>; [PERSISTED]: boolean; [RELATED]: Record<string, unknown> };

const slots = (instance: Model) => instance as unknown as Slots;
const metaOf = (instance: Model): ModelMeta => (instance.constructor as AnyModelClass)._meta;

/** The metadata of an instance about to be written, refused for read-only models before any SQL. */
function writableMetaOf(instance: Model, action: string): ModelMeta {
  const meta = metaOf(instance);
  meta.requireWritable(action);
  return meta;
}

const pkCondition = instanceKeyCondition;

/** Copies a returned row into the instance and marks it clean. */
function adopt(instance: Model, loaded: Model | undefined): void {
  if (!loaded) return;
  Object.assign(slots(instance)[VALUES], slots(loaded)[VALUES]);
  clearDirty(instance);
  slots(instance)[PERSISTED] = true;
}

/** INSERT … RETURNING * of a new instance; the server's values (keys, defaults) come back into it. */
export function* insertInstance(instance: Model, only?: readonly string[]): Program<void> {
  const meta = writableMetaOf(instance, 'be saved (INSERT)');
  const cls = instance.constructor as AnyModelClass;
  const values = slots(instance)[VALUES];
  const data: Record<string, unknown> = {};
  // `save({ only })` on a new instance inserts only those fields, as peewee does; the others take their defaults.
  const fields = only ? meta.fields.filter((f) => only.includes(f.name)) : meta.fields;
  for (const field of fields) if (values[field.name] !== undefined && !(field.generated && values[field.name] === null)) data[field.name] = values[field.name];
  const { columns, values: rows } = insertRows(meta, [data]);
  const returning = expandSelection([cls], cls);
  const result = yield compile({ kind: 'insert', table: meta.tableNode, columns, values: rows, returning: returning.map((c) => c.node) });
  adopt(instance, readModels(cls, returning, result)[0]);
}

/** UPDATE of the changed fields only; no statement at all when nothing changed. */
export function* updateInstance(instance: Model, only?: readonly string[]): Program<number> {
  const meta = writableMetaOf(instance, 'be saved (UPDATE)');
  const s = slots(instance);
  const names = only ?? dirtyNames(instance);
  const changed = names.map((n) => meta.byName.get(n)).filter((f): f is AnyField => f !== undefined && !meta.keyFields.includes(f));
  if (changed.length === 0) return 0;
  const set: [string, Node][] = changed.map((f) => [f.columnName, valueNode(f, s[VALUES][f.name])]);
  // Generated columns follow the columns they are computed from: read them back so the instance stays true.
  const cls = instance.constructor as AnyModelClass;
  const computed = meta.fields.filter((f) => f.options.generated !== undefined);
  const returning = computed.length > 0 ? expandSelection(computed, cls) : [];
  const result = yield compile({
    kind: 'update',
    table: meta.tableNode,
    set,
    from: [],
    where: pkCondition(meta, instance, 'save'),
    returning: returning.map((c) => c.node),
  });
  for (const f of changed) unmarkDirty(instance, f.name);
  const fresh = returning.length > 0 ? readModels(cls, returning, result)[0] : undefined;
  if (fresh) for (const f of computed) s[VALUES][f.name] = slots(fresh)[VALUES][f.name];
  return result.rowCount ?? 0;
}

/** `save()`: INSERT when new, otherwise UPDATE of changed fields. Returns rows written. */
export function* saveInstance(instance: Model, options: { only?: readonly string[] } = {}): Program<number> {
  for (const key of Object.keys(options))
    if (key !== 'only') throw new TypeError(`${metaOf(instance).name}#save(): unknown option ${JSON.stringify(key)}; the option is only`);
  if (options.only !== undefined) checkOnly(metaOf(instance), options.only);
  if (!slots(instance)[PERSISTED]) {
    yield* insertInstance(instance, options.only);
    return 1;
  }
  return yield* updateInstance(instance, options.only);
}

/**
 * `save({ only })` names fields to write; a name that is not a field (a typo, a
 * column name, a many-to-many relation) would otherwise write nothing without a word.
 */
function checkOnly(meta: ModelMeta, only: readonly string[]): void {
  if (!Array.isArray(only)) throw new TypeError(`${meta.name}#save(): only must be an array of field names, received ${typeof only}`);
  for (const name of only) {
    if (typeof name === 'string' && meta.byName.has(name)) continue;
    const fields = meta.fields.map((f) => f.name).join(', ');
    throw new TypeError(`${meta.name}#save({ only }): ${JSON.stringify(String(name))} is not a field of ${meta.name} (its fields: ${fields})`);
  }
}

/** Options of `deleteInstance()`. */
export interface DeleteInstanceOptions {
  /**
   * Also handle the rows that reference this one, dependents first (as
   * peewee's `delete_instance(recursive=True)`): rows whose foreign key is
   * nullable get it set to NULL, the others are deleted, recursively.
   */
  readonly recursive?: boolean;
  /** With `recursive`, delete rows referencing this one through nullable foreign keys too, instead of nulling them. */
  readonly deleteNullable?: boolean;
}

/**
 * The statements that clear the way for deleting the rows of `meta` matching
 * `where`: for each foreign key pointing at them, of any defined model bound to
 * the same database, either NULL it or delete those rows after clearing their
 * own dependents. Models bound to another database, or to none yet, cannot
 * hold rows here (their tables may not even exist), so they are left out.
 * Every statement finds its rows through subqueries on the ancestors, which
 * still exist, so the order is always dependents first. A foreign key is
 * followed once per path, which ends self-referencing and cyclic chains.
 */
function* clearDependents(meta: ModelMeta, where: Node, deleteNullable: boolean, path: ReadonlySet<ForeignKeyFieldImpl>): Program<void> {
  for (const fk of foreignKeysTo(meta)) {
    if (path.has(fk)) continue;
    const dependent = fk.owner as ModelMeta;
    if (dependent.database !== meta.database) continue;
    const referenced = updateSelect(EMPTY_SELECT, { columns: [fk.targetField.toNode()], from: [meta.tableNode], where });
    const condition = binary(fk.toNode(), 'IN', referenced);
    if (fk.nullable && !deleteNullable) {
      yield compile({ kind: 'update', table: dependent.tableNode, set: [[fk.columnName, value(null)]], from: [], where: condition, returning: [] });
      continue;
    }
    yield* clearDependents(dependent, condition, deleteNullable, new Set([...path, fk]));
    yield compile({ kind: 'delete', table: dependent.tableNode, using: [], where: condition, returning: [] });
  }
}

/** DELETE of this instance's row (dependents first with `recursive`); afterwards it counts as new again. Returns 1, or 0 when the row was already gone. */
export function* deleteInstance(instance: Model, options: DeleteInstanceOptions = {}): Program<number> {
  const meta = writableMetaOf(instance, 'be deleted');
  const where = pkCondition(meta, instance, 'delete');
  if (options.recursive) yield* clearDependents(meta, where, options.deleteNullable === true, new Set());
  const result = yield compile({ kind: 'delete', table: meta.tableNode, using: [], where, returning: [] });
  slots(instance)[PERSISTED] = false;
  return result.rowCount ?? 0;
}

/** Reloads every field from the database, dropping unsaved changes and cached relations. */
export function* refreshInstance(instance: Model): Program<void> {
  const meta = metaOf(instance);
  const cls = instance.constructor as AnyModelClass;
  const columns = expandSelection([cls], cls);
  const where = pkCondition(meta, instance, 'refresh');
  const result = yield compile({ kind: 'select', columns: columns.map((c) => c.node), from: [meta.tableNode], joins: [], where, groupBy: [], orderBy: [] });
  const loaded = readModels(cls, columns, result)[0];
  if (!loaded) {
    // The model's own subclass, so `catch (e) { if (e instanceof User.DoesNotExist) … }` works as it does for get().
    const Missing = (cls as unknown as { DoesNotExist: typeof DoesNotExist }).DoesNotExist;
    throw new Missing(`${meta.name} no longer exists in the database (it was deleted); refresh() cannot reload it`);
  }
  adopt(instance, loaded);
  slots(instance)[RELATED] = {};
}
