import { type Expressible, isExpressible, type Node, raw, value } from '@pewit/query';
import type { AnyField } from '../fields/field.js';
import { ForeignKeyFieldImpl } from '../fields/foreign-key-field.js';
import type { ModelMeta } from '../model/model-meta.js';

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

/**
 * Columns and value rows for an INSERT. Each row is validated: a missing
 * required field is an error before any SQL is sent; fields with defaults
 * get them, generated ones are left to the server.
 */
export function insertRows(meta: ModelMeta, rows: readonly Record<string, unknown>[]): { columns: string[]; values: Node[][] } {
  const normalised = rows.map((row) => {
    const byField = new Map<AnyField, unknown>();
    for (const [key, v] of Object.entries(row)) {
      if (v !== undefined) byField.set(fieldForKey(meta, key), v);
    }
    for (const field of meta.fields) {
      if (byField.has(field)) continue;
      const d = field.defaultValue();
      if (d !== undefined) byField.set(field, d);
      else if (!field.generated && !field.nullable) throw field.invalid('is required: pass a value, or declare a default or { null: true }');
    }
    return byField;
  });
  const used = meta.fields.filter((f) => normalised.some((row) => row.has(f)));
  return {
    columns: used.map((f) => f.columnName),
    values: normalised.map((row) => used.map((f) => (row.has(f) ? valueNode(f, row.get(f)) : f.generated ? DEFAULT : value(null)))),
  };
}
