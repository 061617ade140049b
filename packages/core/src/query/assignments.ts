import { type Expressible, isExpressible, type Node, raw, value } from '@pewit/query';
import type { AnyField } from '../fields/field.js';
import { ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';
import type { ModelMeta } from '../meta/model-meta.js';

/** The field a data key names: a property name, or `<fk>Id` for a foreign key's raw key. */
export function fieldForKey(meta: ModelMeta, key: string): AnyField {
  const field = meta.byName.get(key);
  if (field) return field;
  if (key.endsWith('Id')) {
    const fk = meta.byName.get(key.slice(0, -2));
    if (fk instanceof ForeignKeyFieldImpl) return fk;
  }
  throw new TypeError(`${meta.name} has no field "${key}"; its fields are ${[...meta.byName.keys()].join(', ')}`);
}

/** A value for a column: expressions as they are, anything else validated and converted by the field. */
export function valueNode(field: AnyField, v: unknown): Node {
  field.assertWritable();
  return isExpressible(v) ? (v as Expressible).toNode() : value(field.toParam(v));
}

/** `SET` pairs for an UPDATE, validated before any SQL is built. */
export function assignments(meta: ModelMeta, data: Record<string, unknown>): [string, Node][] {
  const out: [string, Node][] = [];
  for (const [key, v] of Object.entries(data)) {
    if (v === undefined) continue;
    const field = fieldForKey(meta, key);
    out.push([field.columnName, valueNode(field, v)]);
  }
  if (out.length === 0) throw new TypeError(`${meta.name}.update(): nothing to set; pass at least one field`);
  return out;
}

const DEFAULT: Node = raw(['DEFAULT']);

/** A cell of an INSERT row that is SQL, not a parameter: an expression, or DEFAULT for a generated column. */
export class NodeCell {
  constructor(readonly node: Node) {}
}

const DEFAULT_CELL = new NodeCell(DEFAULT);

/** A cell of an INSERT row: a parameter, converted by its field, or a `NodeCell`. */
export type InsertCell = unknown;

/**
 * Columns and cells for an INSERT. Each row is validated: a missing
 * required field is an error before any SQL is sent; fields with defaults
 * get them, generated ones are left to the server. Parameters stay plain
 * values (no node per cell), so rows sent as one array per column
 * (`unnest-rows.ts`) never build the nodes a VALUES list needs.
 */
export function insertCells(meta: ModelMeta, rows: readonly Record<string, unknown>[]): { columns: string[]; fields: AnyField[]; cells: InsertCell[][] } {
  const fields = meta.fields;
  const slotOf = keySlotsOf(meta);
  const used: boolean[] = fields.map(() => false);
  // A cell left undefined was not given; null is a given NULL.
  const given: unknown[][] = new Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as Record<string, unknown>;
    const cells: unknown[] = new Array(fields.length);
    for (const key of Object.keys(row)) {
      const v = row[key];
      if (v === undefined) continue;
      const at = slotOf(key);
      cells[at] = v;
      used[at] = true;
    }
    for (let at = 0; at < fields.length; at++) {
      if (cells[at] !== undefined) continue;
      const field = fields[at] as AnyField;
      const d = field.defaultValue();
      if (d !== undefined) {
        cells[at] = d;
        used[at] = true;
      } else if (!field.generated && !field.nullable) {
        throw field.invalid('is required: pass a value, or declare a default or { null: true }');
      }
    }
    given[r] = cells;
  }
  const columns = fields.filter((_, at) => used[at]);
  const at = columns.map((f) => slotOf(f.name));
  for (const f of columns) f.assertWritable();
  const out: InsertCell[][] = new Array(given.length);
  for (let r = 0; r < given.length; r++) {
    const cells = given[r] as unknown[];
    const row: InsertCell[] = new Array(columns.length);
    for (let j = 0; j < columns.length; j++) {
      const f = columns[j] as AnyField;
      const v = cells[at[j] as number];
      row[j] = v === undefined ? (f.generated ? DEFAULT_CELL : null) : isExpressible(v) ? new NodeCell((v as Expressible).toNode()) : f.toParam(v);
    }
    out[r] = row;
  }
  return { columns: columns.map((f) => f.columnName), fields: columns, cells: out };
}

/**
 * Each model's data keys (property names and `<fk>Id`) to field positions, learned as keys are first seen, so
 * rows are read into arrays by position instead of a Map per row.
 */
const keySlots = new WeakMap<ModelMeta, (key: string) => number>();

function keySlotsOf(meta: ModelMeta): (key: string) => number {
  let slotOf = keySlots.get(meta);
  if (!slotOf) {
    const known = new Map<string, number>();
    slotOf = (key) => {
      let at = known.get(key);
      if (at === undefined) {
        // fieldForKey throws for a key the model does not have, naming its fields.
        at = meta.fields.indexOf(fieldForKey(meta, key));
        known.set(key, at);
      }
      return at;
    };
    keySlots.set(meta, slotOf);
  }
  return slotOf;
}

/** The VALUES rows of `cells`: a value node per parameter. */
export function valueRows(cells: readonly (readonly InsertCell[])[]): Node[][] {
  return cells.map((row) => row.map((c) => (c instanceof NodeCell ? c.node : value(c))));
}

/** Columns and VALUES rows for an INSERT (`insertCells`, with a node per cell). */
export function insertRows(meta: ModelMeta, rows: readonly Record<string, unknown>[]): { columns: string[]; fields: AnyField[]; values: Node[][] } {
  const { columns, fields, cells } = insertCells(meta, rows);
  return { columns, fields, values: valueRows(cells) };
}
