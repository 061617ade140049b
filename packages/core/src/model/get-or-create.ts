import { binary, compile, logical, type Node } from '@pewit/query';
import type { Program } from '../evaluation/program.js';
import { VALUES } from '../meta/symbols.js';
import { assignments, fieldForKey, insertRows, valueNode } from '../query/assignments.js';
import { readModels } from '../query/row-readers.js';
import { expandSelection } from '../query/selection.js';
import type { Model } from './model.js';
import type { AnyModelClass } from './types.js';

/**
 * SELECT by lookup; if missing, INSERT … ON CONFLICT DO NOTHING RETURNING *;
 * if another caller won the race (no row returned), SELECT again. Needs a
 * unique constraint covering the lookup to be race-free, as in every ORM.
 */
export function* getOrCreateProgram(cls: AnyModelClass, lookup: Record<string, unknown>, defaults: Record<string, unknown>): Program<[Model, boolean]> {
  const meta = cls._meta;
  meta.requireWritable('getOrCreate (it may INSERT)');
  assignments(meta, lookup); // validates the lookup before any SQL
  const conditions: Node[] = Object.entries(lookup).map(([k, v]) => {
    const field = fieldForKey(meta, k);
    return v === null ? { kind: 'unary', op: 'IS NULL', operand: field.toNode(), postfix: true } : binary(field.toNode(), '=', valueNode(field, v));
  });
  const columns = expandSelection([cls], cls);
  const select = compile({
    kind: 'select',
    columns: columns.map((c) => c.node),
    from: [meta.tableNode],
    joins: [],
    where: conditions.length ? logical('AND', conditions) : undefined,
    groupBy: [],
    orderBy: [],
    limit: { kind: 'value', value: 1 },
  });
  const found = readModels(cls, columns, yield select)[0];
  if (found) return [found, false];
  const instance = new (cls as unknown as new (d: unknown) => Model)({ ...defaults, ...lookup });
  const raw = (instance as unknown as { [VALUES]: Record<string, unknown> })[VALUES];
  const data: Record<string, unknown> = {};
  for (const field of meta.fields) {
    const v = raw[field.name];
    if (v !== undefined && !(field.generated && v === null)) data[field.name] = v;
  }
  const { columns: insertColumns, values } = insertRows(meta, [data]);
  const inserted = yield compile({
    kind: 'insert',
    table: meta.tableNode,
    columns: insertColumns,
    values,
    onConflict: { action: 'nothing' },
    returning: columns.map((c) => c.node),
  });
  const created = readModels(cls, columns, inserted)[0];
  if (created) return [created, true];
  const winner = readModels(cls, columns, yield select)[0];
  if (!winner)
    throw new Error(`${meta.name}.getOrCreate(): the insert conflicted but no row matches the lookup; the conflict is on a column outside the lookup`);
  return [winner, false];
}
