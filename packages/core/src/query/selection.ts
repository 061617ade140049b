import { type Expressible, type Node, star } from '@pewit/query';
import { AliasedExpression } from '../expressions/expression.js';
import { type AnyField, Field } from '../fields/field.js';
import type { ModelMeta } from '../model/model-meta.js';
import { META } from '../model/symbols.js';
import type { AnyModelClass } from '../model/types.js';
import { expandAlias, isModelAlias } from '../relations/model-alias.js';

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

export function isModelClass(v: unknown): v is AnyModelClass {
  return typeof v === 'function' && (v as { [META]?: ModelMeta })[META] !== undefined;
}

/** Expands models into their fields so each result column is known in advance. */
export function expandSelection(items: readonly Selectable[], fallback: AnyModelClass): SelectedColumn[] {
  const source = items.length === 0 ? [fallback] : items;
  const out: SelectedColumn[] = [];
  for (const item of source) {
    if (isModelClass(item)) {
      for (const field of item[META].fields) out.push({ node: field.toNode(), field });
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
      out.push({ node: item.toNode() });
    }
  }
  return out;
}

/** Columns of derived tables know how they are read back (key, decoder). */
function hasSelectedColumn(v: unknown): v is { selectedColumn(): SelectedColumn } {
  return typeof (v as { selectedColumn?: unknown }).selectedColumn === 'function';
}

/** `*` for queries built from raw selections (e.g. count wrappers). */
export const STAR: SelectedColumn = { node: star() };
