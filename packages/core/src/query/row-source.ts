import type { Expressible, Node, WithClause } from '@pewit/query';
import type { AnyModelClass } from '../model/types.js';
import type { SelectQuery } from './select-query.js';
import type { Selectable, SelectedColumn } from './selection.js';

/**
 * A query whose rows can feed another query: a SELECT or a set operation of
 * SELECTs. Derived tables (subqueries in FROM, CTEs) and INSERT … SELECT
 * are built from one.
 */
export interface RowSource extends Expressible {
  /** @internal The model whose database runs the query. */
  readonly sourceModel: AnyModelClass;
  /** @internal The result columns, in order. */
  selectedColumns(): readonly SelectedColumn[];
  /**
   * @internal A SELECT of `selection` FROM `from` (a derived table made of this
   * query), rows as dicts. The query builds it, so the derived-table module
   * does not import the select builder that imports it.
   */
  selectFrom(from: Node, withClause: WithClause | undefined, selection: readonly Selectable[]): SelectQuery<any, any, any>;
}

/**
 * The name a result column has in a derived table: its alias, the field's
 * property name, or (for a bare column or function) the name PostgreSQL
 * gives it. Anything else must be aliased, so the name is never a guess.
 */
export function outputName(column: SelectedColumn, position: number): string {
  if (column.alias !== undefined) return column.alias;
  if (column.field) return column.field.name;
  const node: Node = column.node;
  if (node.kind === 'column') return node.name;
  if (node.kind === 'function') return node.name;
  throw new TypeError(`column ${position + 1} of the subquery is an expression without a name: give it one with .as('name')`);
}
