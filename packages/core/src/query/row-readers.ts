import type { RawResult } from '../database/driver.js';
import type { Field } from '../fields/field.js';
import type { JoinLink } from '../links/join-links.js';
import { foreignKeysBetween } from '../meta/foreign-keys.js';
import { instantiate } from '../meta/instantiate.js';
import type { ModelMeta } from '../meta/model-meta.js';
import { RELATED, VALUES } from '../meta/symbols.js';
import type { Model } from '../model/model.js';
import type { AnyModelClass } from '../model/types.js';
import { decoderFor } from '../types/text-decoders.js';
import type { SelectedColumn } from './selection.js';

type Cell = string | null;
type Decode = (text: string) => unknown;

/** How result rows become values: model instances, plain objects or arrays. */
export type RowShape = 'models' | 'dicts' | 'tuples';

/** Each column's field decoder, made once per column list (undefined for columns that are not fields). */
const fieldDecoders = new WeakMap<readonly SelectedColumn[], readonly (Decode | undefined)[]>();

function fieldDecodersOf(columns: readonly SelectedColumn[]): readonly (Decode | undefined)[] {
  let list = fieldDecoders.get(columns);
  if (!list) {
    list = columns.map(({ field }) => (field ? (t: string) => field.fromDb(t) : undefined));
    fieldDecoders.set(columns, list);
  }
  return list;
}

/** Decoders for each result column: the field's own when known, else by the server's type OID. */
function decoders(columns: readonly SelectedColumn[], result: RawResult): readonly Decode[] {
  const byField = fieldDecodersOf(columns);
  const fields = result.fields;
  if (fields.length === byField.length && !byField.includes(undefined)) return byField as readonly Decode[];
  return fields.map((f, i) => byField[i] ?? decoderFor(f.typeId));
}

/** The key a column gets in dicts and as an extra attribute: alias, field property name, or the server's column name. */
function keys(columns: readonly SelectedColumn[], result: RawResult): string[] {
  return result.fields.map((f, i) => columns[i]?.alias ?? columns[i]?.field?.name ?? f.name);
}

export function readTuples(columns: readonly SelectedColumn[], result: RawResult): unknown[][] {
  const decode = decoders(columns, result);
  return result.rows.map((row) => row.map((cell, i) => (cell === null ? null : (decode[i] as Decode)(cell))));
}

/** Column lists whose dict keys were checked (a query's list is checked once, not per result). */
const distinctKeys = new WeakSet<readonly SelectedColumn[]>();

const describeColumn = (c: SelectedColumn): string => {
  if (c.alias !== undefined) return `an expression AS "${c.alias}"`;
  const owner = c.field?.owner as ModelMeta | undefined;
  return c.source ? `"${c.source}".${c.field?.name}` : `${owner?.name}.${c.field?.name}`;
};

/**
 * Refuses a `.dicts()` selection in which two columns would get the same key
 * (`Post.id` and `User.id` are both `id`): one would silently overwrite the
 * other. The same column selected twice is no loss and passes. Columns the
 * server names (unaliased expressions) are not known before the query runs.
 */
export function checkDictKeys(columns: readonly SelectedColumn[]): void {
  if (distinctKeys.has(columns)) return;
  const seen = new Map<string, SelectedColumn>();
  for (const column of columns) {
    const key = column.alias ?? column.field?.name;
    if (key === undefined) continue;
    const earlier = seen.get(key);
    if (earlier && !(earlier.alias === undefined && column.alias === undefined && earlier.field === column.field && earlier.source === column.source))
      throw new TypeError(
        `.dicts(): ${describeColumn(earlier)} and ${describeColumn(column)} would both be the key "${key}", and one would overwrite the other; give one a name of its own with .as('…') (e.g. select(Post, User.id.as('userId'), …)), or read model instances (drop .dicts()) or .tuples()`,
      );
    seen.set(key, column);
  }
  distinctKeys.add(columns);
}

export function readDicts(columns: readonly SelectedColumn[], result: RawResult): Record<string, unknown>[] {
  checkDictKeys(columns);
  const decode = decoders(columns, result);
  const names = keys(columns, result);
  return result.rows.map((row) => {
    const out: Record<string, unknown> = {};
    for (let i = 0; i < row.length; i++) {
      const cell = row[i] as Cell;
      out[names[i] as string] = cell === null ? null : (decode[i] as Decode)(cell);
    }
    return out;
  });
}

interface ModelSlot {
  readonly meta: ModelMeta;
  /** The model alias the columns were selected through, if any. */
  readonly source: string | undefined;
  /** Column indexes and the property each fills. */
  readonly columns: { index: number; name: string }[];
}

/** Groups the selected columns by the model (or model alias) they belong to; the primary model's slot is first. */
function slotsFor(primaryMeta: ModelMeta, columns: readonly SelectedColumn[]): { slots: ModelSlot[]; extras: number[] } {
  const slots: ModelSlot[] = [{ meta: primaryMeta, source: undefined, columns: [] }];
  const extras: number[] = [];
  columns.forEach((col, index) => {
    const owner = col.field?.owner as ModelMeta | undefined;
    if (!col.field || !owner || col.alias) {
      extras.push(index);
      return;
    }
    let slot = slots.find((s) => s.meta === owner && s.source === col.source);
    if (!slot) {
      slot = { meta: owner, source: col.source, columns: [] };
      slots.push(slot);
    }
    slot.columns.push({ index, name: col.field.name });
  });
  return { slots, extras };
}

/**
 * For each slot, the slot whose instance it is attached to and under which
 * foreign key: from the query's join links, else (for a model joined without
 * alias) the one foreign key of the primary model pointing at it.
 */
function plan(slots: readonly ModelSlot[], links: readonly JoinLink[]): Pick<ReadPlan, 'parent' | 'name' | 'reverse'> {
  const parent = new Int32Array(slots.length).fill(-1);
  const name: (string | undefined)[] = slots.map(() => undefined);
  const reverse = new Uint8Array(slots.length);
  const indexOf = (meta: ModelMeta, source: string | undefined) => slots.findIndex((s) => s.meta === meta && s.source === source);
  const primary = slots[0] as ModelSlot;
  for (let i = 1; i < slots.length; i++) {
    const slot = slots[i] as ModelSlot;
    const link = links.find((l) => l.target.meta === slot.meta && l.target.alias === slot.source);
    const from = link ? indexOf(link.parent.meta, link.parent.alias) : -1;
    if (link && from >= 0 && from !== i) {
      parent[i] = from;
      name[i] = link.name;
      reverse[i] = link.kind === 'reverse' ? 1 : 0;
      continue;
    }
    // Without a link (a model selected but not joined on a foreign key), the primary model's one foreign key
    // to it says where it goes. With a link whose parent is not selected, another foreign key would be a guess:
    // `Like.select(Like, User).join(Tweet).join(User)` must not put the tweet's author on `like.user`.
    const fk = slot.source === undefined && !link ? linkFor(primary.meta, slot.meta) : undefined;
    if (fk) {
      parent[i] = 0;
      name[i] = fk;
      continue;
    }
    throw unattached(primary.meta, slot, link);
  }
  return { parent, name, reverse };
}

/** The error for selected columns of a model whose instances would belong on no instance of the result. */
function unattached(primary: ModelMeta, slot: ModelSlot, link: JoinLink | undefined): Error {
  const what = slot.source ? `${slot.meta.name} as "${slot.source}"` : slot.meta.name;
  const instead = `or read the rows with .dicts() / .tuples(), which keep every column`;
  if (link) {
    const middle = link.parent.alias ? `"${link.parent.alias}"` : link.parent.meta.name;
    return new Error(
      `${primary.name}.select(…): ${what} is joined through ${middle}, which is not selected, so its instances would belong on nothing in the rows: select ${middle} too (its instance then holds the ${what}), ${instead}`,
    );
  }
  return new Error(
    `${primary.name}.select(…): columns of ${what} are selected but no foreign key of the join links it to a selected model, so its instances would belong on nothing: join it on its foreign key, alias the columns with .as('…'), ${instead}`,
  );
}

/**
 * Refuses, before any SQL is sent, a selection whose joined model columns
 * could not be attached to any instance (the plan is cached, so the read
 * that follows reuses it).
 */
export function checkModelRead(cls: AnyModelClass, columns: readonly SelectedColumn[], links: readonly JoinLink[] = NO_LINKS): void {
  readPlan(cls, columns, links);
}

/** How a column list becomes instances: which columns fill which model, and how joined instances attach. */
interface ReadPlan {
  readonly cls: AnyModelClass;
  readonly links: readonly JoinLink[];
  readonly slots: readonly ModelSlot[];
  readonly extras: readonly number[];
  readonly parent: Int32Array;
  readonly name: readonly (string | undefined)[];
  /** 1 where the slot's instance becomes a plain property of its parent (a reverse join, `user.tweet`), 0 where it fills a foreign key. */
  readonly reverse: Uint8Array;
}

const NO_LINKS: readonly JoinLink[] = Object.freeze([]);
/** Plans are worked out once per column list (a query, or a model's shared list) and reused for every result. */
const readPlans = new WeakMap<readonly SelectedColumn[], ReadPlan>();

function readPlan(cls: AnyModelClass, columns: readonly SelectedColumn[], links: readonly JoinLink[]): ReadPlan {
  const cached = readPlans.get(columns);
  if (cached && cached.cls === cls && cached.links === links) return cached;
  const { slots, extras } = slotsFor(cls._meta, columns);
  const planned: ReadPlan = { cls, links, slots, extras, ...plan(slots, links) };
  readPlans.set(columns, planned);
  return planned;
}

/**
 * Reads rows into instances of the query's model. Columns of other (joined)
 * models, or of model aliases, become instances of those models, attached
 * to the instance whose foreign key points at them (`links` says which, for
 * joins given an explicit ON or an alias); an outer-join miss (all NULL)
 * becomes `null`, never an empty instance. Other expressions become plain
 * attributes named by alias. Result columns past `columns` are ignored
 * (prefetch appends the key it groups children by).
 */
export function readModels<T extends Model>(
  cls: AnyModelClass,
  columns: readonly SelectedColumn[],
  result: RawResult,
  links: readonly JoinLink[] = NO_LINKS,
): T[] {
  const decode = decoders(columns, result);
  const { slots, extras, parent, name, reverse } = readPlan(cls, columns, links);
  const names = extras.length ? keys(columns, result) : [];
  const primaryMeta = cls._meta;
  const count = slots.length;
  const rows = result.rows;
  const out: T[] = new Array(rows.length);
  if (count === 1 && extras.length === 0) {
    // One model, no extras: the common case, without the bookkeeping for joins.
    const slot = slots[0] as ModelSlot;
    for (let r = 0; r < rows.length; r++) out[r] = instantiate(cls, readSlot(slot, rows[r] as readonly Cell[], decode)) as T;
    return out;
  }
  const instances: (Model | null)[] = new Array(count);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as readonly Cell[];
    for (let i = 0; i < count; i++) {
      const slot = slots[i] as ModelSlot;
      instances[i] = i > 0 && allNull(slot, row) ? null : instantiate(i === 0 ? cls : slot.meta.cls, readSlot(slot, row, decode));
    }
    for (let i = 1; i < count; i++) {
      const p = parent[i] as number;
      const holder = p >= 0 ? instances[p] : null;
      if (!holder) continue;
      if (reverse[i]) (holder as unknown as Record<string, unknown>)[name[i] as string] = instances[i];
      else (holder as unknown as { [RELATED]: Record<string, unknown> })[RELATED][name[i] as string] = instances[i];
    }
    const instance = instances[0] as T;
    for (const index of extras) {
      const cell = row[index] as Cell;
      const v = cell === null ? null : (decode[index] as Decode)(cell);
      const key = names[index] as string;
      if (primaryMeta.byName.has(key)) (instance as unknown as { [VALUES]: Record<string, unknown> })[VALUES][key] = v;
      else (instance as unknown as Record<string, unknown>)[key] = v;
    }
    out[r] = instance;
  }
  return out;
}

function allNull(slot: ModelSlot, row: readonly Cell[]): boolean {
  for (const { index } of slot.columns) if (row[index] !== null) return false;
  return true;
}

function readSlot(slot: ModelSlot, row: readonly Cell[], decode: readonly Decode[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const { index, name } of slot.columns) {
    const cell = row[index] as Cell;
    values[name] = cell === null ? null : (decode[index] as Decode)(cell);
  }
  return values;
}

/** The foreign key of `from` that points at `to`, by property name, when there is exactly one. */
function linkFor(from: ModelMeta, to: ModelMeta): string | undefined {
  const candidates = foreignKeysBetween(from, to);
  return candidates.length === 1 ? (candidates[0] as Field).name : undefined;
}
