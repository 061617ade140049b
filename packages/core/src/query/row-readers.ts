import type { RawResult } from '../database/driver.js';
import type { Field } from '../fields/field.js';
import { ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';
import { instantiate } from '../model/instantiate.js';
import type { Model } from '../model/model.js';
import type { ModelMeta } from '../model/model-meta.js';
import { META, RELATED, VALUES } from '../model/symbols.js';
import type { AnyModelClass } from '../model/types.js';
import { decoderFor } from '../types/text-decoders.js';
import type { SelectedColumn } from './selection.js';

type Cell = string | null;
type Decode = (text: string) => unknown;

/** How result rows become values: model instances, plain objects or arrays. */
export type RowShape = 'models' | 'dicts' | 'tuples';

/** Decoders for each column: the field's own when known, else by the server's type OID. */
function decoders(columns: readonly SelectedColumn[], result: RawResult): Decode[] {
  return result.fields.map((f, i) => {
    const field = columns[i]?.field;
    return field ? (t: string) => field.fromDb(t) : decoderFor(f.typeId);
  });
}

/** The key a column gets in dicts and as an extra attribute: alias, field property name, or the server's column name. */
function keys(columns: readonly SelectedColumn[], result: RawResult): string[] {
  return result.fields.map((f, i) => columns[i]?.alias ?? columns[i]?.field?.name ?? f.name);
}

export function readTuples(columns: readonly SelectedColumn[], result: RawResult): unknown[][] {
  const decode = decoders(columns, result);
  return result.rows.map((row) => row.map((cell, i) => (cell === null ? null : (decode[i] as Decode)(cell))));
}

export function readDicts(columns: readonly SelectedColumn[], result: RawResult): Record<string, unknown>[] {
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
  readonly cls: AnyModelClass;
  /** Column indexes and the property each fills. */
  readonly columns: { index: number; name: string }[];
}

/**
 * Reads rows into instances of the query's model. Columns of other (joined)
 * models become instances of those models, attached to the instance whose
 * foreign key points at them; an outer-join miss (all NULL) becomes `null`.
 * Other expressions become plain attributes named by alias.
 */
export function readModels<T extends Model>(cls: AnyModelClass, columns: readonly SelectedColumn[], result: RawResult): T[] {
  const decode = decoders(columns, result);
  const names = keys(columns, result);
  const primaryMeta = cls[META];
  const slots = new Map<ModelMeta, ModelSlot>([[primaryMeta, { meta: primaryMeta, cls, columns: [] }]]);
  const extras: number[] = [];
  columns.forEach((col, index) => {
    const owner = col.field?.owner as ModelMeta | undefined;
    if (col.field && owner && !col.alias) {
      let slot = slots.get(owner);
      if (!slot) {
        slot = { meta: owner, cls: owner.cls, columns: [] };
        slots.set(owner, slot);
      }
      slot.columns.push({ index, name: col.field.name });
    } else {
      extras.push(index);
    }
  });
  const primary = slots.get(primaryMeta) as ModelSlot;
  const others = [...slots.values()].filter((s) => s !== primary);
  const links = others.map((slot) => linkFor(primaryMeta, slot.meta));

  return result.rows.map((row) => {
    const instance = instantiate(primary.cls, readSlot(primary, row, decode)) as T;
    others.forEach((slot, i) => {
      const values = readSlot(slot, row, decode);
      const link = links[i];
      if (!link) return;
      const allNull = slot.columns.every((c) => values[c.name] === null);
      (instance as unknown as { [RELATED]: Record<string, unknown> })[RELATED][link] = allNull ? null : instantiate(slot.cls, values);
    });
    for (const index of extras) {
      const cell = row[index] as Cell;
      const v = cell === null ? null : (decode[index] as Decode)(cell);
      const key = names[index] as string;
      if (primaryMeta.byName.has(key)) (instance as unknown as { [VALUES]: Record<string, unknown> })[VALUES][key] = v;
      else (instance as unknown as Record<string, unknown>)[key] = v;
    }
    return instance;
  });
}

function readSlot(slot: ModelSlot, row: readonly Cell[], decode: Decode[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const { index, name } of slot.columns) {
    const cell = row[index] as Cell;
    values[name] = cell === null ? null : (decode[index] as Decode)(cell);
  }
  return values;
}

/** The foreign key of `from` that points at `to`, by property name, when there is exactly one. */
function linkFor(from: ModelMeta, to: ModelMeta): string | undefined {
  const candidates = from.fields.filter((f): f is ForeignKeyFieldImpl => f instanceof ForeignKeyFieldImpl && f.target[META] === to);
  return candidates.length === 1 ? (candidates[0] as Field).name : undefined;
}
