import { sameExpression } from '../introspect/normalize-expression.js';
import type {
  CheckDescription,
  ColumnDescription,
  ForeignKeyDescription,
  IndexDescription,
  SchemaDescription,
  TableDescription,
  UniqueDescription,
} from '../introspect/schema-description.js';
import type { SchemaChange } from './schema-change.js';
import { widens } from './type-widening.js';

const key = (o: { schema: string; name: string }) => `${o.schema}.${o.name}`;
const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

const sameIndex = (a: IndexDescription, b: IndexDescription) =>
  a.unique === b.unique &&
  a.method === b.method &&
  sameExpression(a.where, b.where) &&
  a.keys.length === b.keys.length &&
  a.keys.every((k, i) => {
    const other = b.keys[i];
    if (!other) return false;
    if ('column' in k) return 'column' in other && other.column === k.column;
    return 'expression' in other && sameExpression(k.expression, other.expression);
  });
const sameUnique = (a: UniqueDescription, b: UniqueDescription) => same(a.columns, b.columns);
const sameCheck = (a: CheckDescription, b: CheckDescription) => sameExpression(a.expression, b.expression);
const sameForeignKey = (a: ForeignKeyDescription, b: ForeignKeyDescription) =>
  same(a.columns, b.columns) &&
  a.referencedSchema === b.referencedSchema &&
  a.referencedTable === b.referencedTable &&
  same(a.referencedColumns, b.referencedColumns) &&
  a.onDelete === b.onDelete &&
  a.onUpdate === b.onUpdate;

/** What is only in `from` (dropped) and only in `to` (added), matched by definition, never by name. */
function unmatched<T>(from: readonly T[], to: readonly T[], equal: (a: T, b: T) => boolean): { dropped: T[]; added: T[] } {
  const left = [...to];
  const dropped: T[] = [];
  for (const item of from) {
    const i = left.findIndex((other) => equal(item, other));
    if (i < 0) dropped.push(item);
    else left.splice(i, 1);
  }
  return { dropped, added: left };
}

function diffColumn(on: { schema: string; table: string }, a: ColumnDescription, b: ColumnDescription): SchemaChange[] {
  const out: SchemaChange[] = [];
  if (a.generated !== undefined || b.generated !== undefined) {
    if (!sameExpression(a.generated, b.generated)) return [{ ...on, kind: 'generatedChanged', from: a, to: b, destructive: true }];
  }
  if (a.type !== b.type) out.push({ ...on, kind: 'columnTypeChanged', from: a, to: b, destructive: !widens(a.type, b.type) });
  if (a.nullable !== b.nullable) out.push({ ...on, kind: 'nullabilityChanged', column: b.name, nullable: b.nullable, destructive: !b.nullable });
  if (a.identity !== b.identity) out.push({ ...on, kind: 'identityChanged', column: b.name, from: a.identity, to: b.identity, destructive: false });
  if (a.generated === undefined && !sameExpression(a.default, b.default))
    out.push({ ...on, kind: 'defaultChanged', column: b.name, from: a.default, to: b.default, destructive: false });
  return out;
}

function diffTable(a: TableDescription, b: TableDescription): SchemaChange[] {
  const on = { schema: b.schema, table: b.name };
  const out: SchemaChange[] = [];
  const before = new Map(a.columns.map((c) => [c.name, c]));
  const after = new Set(b.columns.map((c) => c.name));
  for (const column of a.columns) if (!after.has(column.name)) out.push({ ...on, kind: 'columnDropped', column, destructive: true });
  for (const column of b.columns) {
    const old = before.get(column.name);
    if (!old) out.push({ ...on, kind: 'columnAdded', column, destructive: false });
    else out.push(...diffColumn(on, old, column));
  }
  if (!same(a.primaryKey?.columns ?? [], b.primaryKey?.columns ?? []))
    out.push({ ...on, kind: 'primaryKeyChanged', from: a.primaryKey, to: b.primaryKey, destructive: b.primaryKey !== undefined });
  const uniques = unmatched(a.uniques, b.uniques, sameUnique);
  for (const unique of uniques.dropped) out.push({ ...on, kind: 'uniqueDropped', unique, destructive: false });
  for (const unique of uniques.added) out.push({ ...on, kind: 'uniqueAdded', unique, destructive: false });
  const checks = unmatched(a.checks, b.checks, sameCheck);
  for (const check of checks.dropped) out.push({ ...on, kind: 'checkDropped', check, destructive: false });
  for (const check of checks.added) out.push({ ...on, kind: 'checkAdded', check, destructive: false });
  const fks = unmatched(a.foreignKeys, b.foreignKeys, sameForeignKey);
  for (const foreignKey of fks.dropped) out.push({ ...on, kind: 'foreignKeyDropped', foreignKey, destructive: false });
  for (const foreignKey of fks.added) out.push({ ...on, kind: 'foreignKeyAdded', foreignKey, destructive: false });
  const indexes = unmatched(a.indexes, b.indexes, sameIndex);
  for (const index of indexes.dropped) out.push({ ...on, kind: 'indexDropped', index, destructive: false });
  for (const index of indexes.added) out.push({ ...on, kind: 'indexAdded', index, destructive: false });
  return out;
}

/**
 * What must change to turn schema `from` (usually the live database,
 * `introspectDatabase`) into schema `to` (usually `schemaOfModels`), as a
 * typed list; empty when they agree. Tables, columns and enums are matched
 * by name, constraints and indexes by definition (their names are not
 * compared). Renames are never guessed: a renamed column is a `columnDropped`
 * and a `columnAdded`; `renameCandidates(changes)` lists the pairs to ask
 * about. Views without a definition on either side (read-only models) are
 * not compared, and a table that a read-only model maps is not dropped.
 *
 * @example
 * diffSchemas(await introspectDatabase(db), schemaOfModels([User]));
 * // [{ kind: 'columnAdded', schema: 'public', table: 'users', column: { name: 'bio', type: 'text', … }, destructive: false }]
 */
export function diffSchemas(from: SchemaDescription, to: SchemaDescription): SchemaChange[] {
  const out: SchemaChange[] = [];
  const enumsBefore = new Map(from.enums.map((e) => [key(e), e]));
  const enumsAfter = new Set(to.enums.map(key));
  for (const e of to.enums) {
    const old = enumsBefore.get(key(e));
    if (!old) out.push({ kind: 'enumAdded', enum: e, destructive: false });
    else {
      const added = e.values.filter((v) => !old.values.includes(v));
      const removed = old.values.filter((v) => !e.values.includes(v));
      if (added.length) out.push({ kind: 'enumValuesAdded', enum: e, values: added, destructive: false });
      if (removed.length) out.push({ kind: 'enumValuesRemoved', enum: e, values: removed, destructive: true });
    }
  }
  const unmanaged = new Set(to.views.filter((v) => v.definition === undefined).map(key));
  const tablesBefore = new Map(from.tables.map((t) => [key(t), t]));
  const tablesAfter = new Set(to.tables.map(key));
  for (const t of from.tables)
    if (!tablesAfter.has(key(t)) && !unmanaged.has(key(t)))
      out.push({ kind: 'tableDropped', schema: t.schema, table: t.name, description: t, destructive: true });
  for (const t of to.tables) {
    const old = tablesBefore.get(key(t));
    if (!old) out.push({ kind: 'tableAdded', schema: t.schema, table: t.name, description: t, destructive: false });
    else out.push(...diffTable(old, t));
  }
  const viewsBefore = new Map(from.views.map((v) => [key(v), v]));
  const viewsAfter = new Map(to.views.map((v) => [key(v), v]));
  for (const v of from.views) if (!viewsAfter.has(key(v)) && !tablesAfter.has(key(v))) out.push({ kind: 'viewDropped', view: v, destructive: false });
  for (const v of to.views) {
    if (v.definition === undefined) continue;
    const old = viewsBefore.get(key(v));
    if (!old) out.push({ kind: 'viewAdded', view: v, destructive: false });
    else if (old.definition !== undefined && !sameExpression(old.definition, v.definition))
      out.push({ kind: 'viewChanged', from: old, to: v, destructive: false });
  }
  // Types go last: a dropped enum may still be used by a column until the table changes above are applied.
  for (const e of from.enums) if (!enumsAfter.has(key(e))) out.push({ kind: 'enumDropped', enum: e, destructive: true });
  return out;
}
