import { type Expressible, type Node, star } from '@pewit/query';
import { AliasedExpression } from '../expressions/expression.js';
import { type AnyField, Field } from '../fields/field.js';
import type { ModelMeta } from '../model/model-meta.js';
import { META } from '../model/symbols.js';
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

/** `*` for queries built from raw selections (e.g. count wrappers). */
export const STAR: SelectedColumn = { node: star() };
