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

/** Each model's field positions, so rows are read into arrays instead of a Map per row. */
const fieldPositions = new WeakMap<ModelMeta, ReadonlyMap<AnyField, number>>();

function positionsOf(meta: ModelMeta): ReadonlyMap<AnyField, number> {
  let positions = fieldPositions.get(meta);
  if (!positions) {
    positions = new Map(meta.fields.map((f, i) => [f, i]));
    fieldPositions.set(meta, positions);
  }
  return positions;
}

/**
 * Columns and value rows for an INSERT. Each row is validated: a missing
 * required field is an error before any SQL is sent; fields with defaults
 * get them, generated ones are left to the server.
 */
export function insertRows(meta: ModelMeta, rows: readonly Record<string, unknown>[]): { columns: string[]; fields: AnyField[]; values: Node[][] } {
  const fields = meta.fields;
  const positions = positionsOf(meta);
  const used: boolean[] = fields.map(() => false);
  // A cell left undefined was not given; null is a given NULL.
  const given: unknown[][] = rows.map((row) => {
    const cells: unknown[] = new Array(fields.length);
    for (const key of Object.keys(row)) {
      const v = row[key];
      if (v === undefined) continue;
      const at = positions.get(fieldForKey(meta, key)) as number;
      cells[at] = v;
      used[at] = true;
    }
    fields.forEach((field, at) => {
      if (cells[at] !== undefined) return;
      const d = field.defaultValue();
      if (d !== undefined) {
        cells[at] = d;
        used[at] = true;
      } else if (!field.generated && !field.nullable) {
        throw field.invalid('is required: pass a value, or declare a default or { null: true }');
      }
    });
    return cells;
  });
  const columns = fields.filter((_, at) => used[at]);
  const at = columns.map((f) => positions.get(f) as number);
  return {
    columns: columns.map((f) => f.columnName),
    fields: columns,
    values: given.map((cells) =>
      columns.map((f, j) => {
        const v = cells[at[j] as number];
        return v !== undefined ? valueNode(f, v) : f.generated ? DEFAULT : value(null);
      }),
    ),
  };
}
