import { type Expressible, type Node, star } from '@pewit/query';
import { AliasedExpression } from '../expressions/expression.js';
import { type AnyField, Field } from '../fields/field.js';
import { expandAlias, isModelAlias } from '../links/model-alias.js';
import { isModelClass } from '../meta/model-class.js';
import type { ModelMeta } from '../meta/model-meta.js';
import type { AnyModelClass } from '../model/types.js';

/** What `select(...)` accepts: a whole model, a field, or any expression. */
export type Selectable = AnyModelClass | Expressible;

/** One selected column and how to read it back. */
export interface SelectedColumn {
  readonly node: Node;
  /** The field it belongs to, when it is a plain field (gives its decoder and owner). */
  readonly field?: AnyField | undefined;
  /** Alias given with `.as()`. */
  readonly alias?: string | undefined;
  /** The model alias (`User.alias('author')`) the column is read through, when it is one. */
  readonly source?: string | undefined;
}

/** A model's own columns, made once per model so queries share them (and what the compiler and row readers cache for them). */
const modelColumns = new WeakMap<ModelMeta, readonly SelectedColumn[]>();

function columnsOf(meta: ModelMeta): readonly SelectedColumn[] {
  let columns = modelColumns.get(meta);
  if (!columns) {
    columns = Object.freeze(meta.fields.map((field) => ({ node: field.toNode(), field })));
    modelColumns.set(meta, columns);
  }
  return columns;
}

/**
 * Expands models into their fields so each result column is known in advance.
 * A lone model (`select()`, `select(User)`) gives that model's shared column list.
 */
export function expandSelection(items: readonly Selectable[], fallback: AnyModelClass): readonly SelectedColumn[] {
  const source = items.length === 0 ? [fallback] : items;
  const only = source[0];
  if (source.length === 1 && isModelClass(only)) return columnsOf(only._meta);
  const out: SelectedColumn[] = [];
  for (const item of source) {
    if (isModelClass(item)) {
      out.push(...columnsOf(item._meta));
    } else if (isModelAlias(item)) {
      out.push(...(expandAlias(item) ?? []));
    } else if (hasSelectedColumn(item)) {
      out.push(item.selectedColumn());
    } else if (item instanceof Field) {
      out.push({ node: item.toNode(), field: item });
    } else if (item instanceof AliasedExpression) {
      const inner = item.expression;
      out.push({ node: item.toNode(), field: inner instanceof Field ? inner : undefined, alias: item.alias });
    } else {
      // An aliased node from elsewhere (sql`…`.as('n')) is read back under its name.
      const node = item.toNode();
      out.push(node.kind === 'alias' ? { node, alias: node.alias } : { node });
    }
  }
  return out;
}

/** Columns of derived tables know how they are read back (key, decoder). */
function hasSelectedColumn(v: unknown): v is { selectedColumn(): SelectedColumn } {
  return typeof (v as { selectedColumn?: unknown }).selectedColumn === 'function';
}

const columnNodes = new WeakMap<readonly SelectedColumn[], readonly Node[]>();

/** The nodes of a column list, made once per list, so the compiler can reuse the text it wrote for them. */
export function nodesOf(columns: readonly SelectedColumn[]): readonly Node[] {
  let nodes = columnNodes.get(columns);
  if (!nodes) {
    nodes = Object.freeze(columns.map((c) => c.node));
    columnNodes.set(columns, nodes);
  }
  return nodes;
}

/** `*` for queries built from raw selections (e.g. count wrappers). */
export const STAR: SelectedColumn = { node: star() };
