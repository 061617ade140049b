import { alias, type CteSpec, column, type Node, table, value, type WithClause } from '@pewit/query';
import { Expression, type Operand } from '../expressions/expression.js';
import type { AnyField } from '../fields/field.js';
import type { AnyModelClass } from '../model/types.js';
import { outputName, type RowSource } from './row-source.js';
import type { DictRow, TupleRow } from './row-types.js';
import type { SelectQuery } from './select-query.js';
import type { Selectable, SelectedColumn } from './selection.js';

/**
 * A column of a subquery or CTE, e.g. `sub.c.n` → `"sub"."n"`. It is an
 * expression, and in `.dicts()` rows its key is its name.
 */
export class SourceColumn<T = unknown, K extends string = string> extends Expression<T> {
  constructor(
    readonly source: string,
    readonly name: K,
    /** The field the column came from, when it is one: gives its decoder and validates operands. */
    readonly field?: AnyField,
  ) {
    super(column(name, source));
  }

  protected override operand(v: Operand<T> | unknown): Node {
    return this.field && !(typeof v === 'object' && v !== null && 'toNode' in v) ? value(this.field.toParam(v)) : super.operand(v);
  }

  /** @internal How `select()` reads this column back. */
  selectedColumn(): SelectedColumn {
    return { node: this.toNode(), field: this.field, alias: this.name };
  }
}

/** The typed columns of a derived table: `sub.c.<name>`. */
export type SourceColumns<Row> = { readonly [K in keyof Row & string]: SourceColumn<Row[K], K> };

/** The dict row a query yields, to type the columns of a table derived from it. */
export type RowOf<Q> = Q extends { dicts(): PromiseLike<(infer D)[]> } ? D : Record<string, unknown>;

/** What selecting `S` from a derived table with rows `Row` yields. */
type Selected<S extends readonly unknown[], Row> = S extends readonly [] ? Row : DictRow<S>;

/** A table made from a query: a subquery in FROM or a CTE. Select from it, join it, use its columns. */
export abstract class DerivedTable<Row = Record<string, unknown>> {
  /** The columns, by name: `sub.c.total`. */
  readonly c: SourceColumns<Row>;

  constructor(
    /** The name it is referred to by (alias or CTE name). */
    readonly name: string,
    /** Its column names, in order. */
    readonly columnNames: readonly string[],
    fields: readonly (AnyField | undefined)[] = [],
  ) {
    if (new Set(columnNames).size !== columnNames.length) {
      throw new TypeError(`"${name}" has duplicate column names (${columnNames.join(', ')}): alias the columns with .as('name')`);
    }
    this.c = Object.freeze(Object.fromEntries(columnNames.map((n, i) => [n, new SourceColumn(name, n, fields[i])]))) as SourceColumns<Row>;
  }

  /** @internal The model whose database runs queries on this table. */
  abstract get sourceModel(): AnyModelClass;
  /** @internal The FROM/JOIN item. */
  abstract fromNode(): Node;
  /** @internal The WITH clause a query selecting from this table needs. */
  withClause(): WithClause | undefined {
    return undefined;
  }

  /**
   * SELECT from this table; rows are plain objects (`.tuples()` for arrays).
   * With no arguments every column is selected.
   * @example await sub.select(sub.c.user, sub.c.n).where(sub.c.n.gt(1)) // SELECT "sub"."user", "sub"."n" FROM (…) AS "sub"("user", "n") WHERE "sub"."n" > $1
   */
  select<const S extends readonly Selectable[]>(...selection: S): SelectQuery<Selected<S, Row>, Selected<S, Row>, TupleRow<S>> {
    return this.source().selectFrom(this.fromNode(), this.withClause(), selection.length ? selection : Object.values(this.c)) as never;
  }

  /** @internal The query this table is made of. */
  protected abstract source(): RowSource;
}

function fieldsOf(columns: readonly SelectedColumn[]): (AnyField | undefined)[] {
  return columns.map((c) => c.field);
}

/**
 * A query in FROM: `(SELECT …) AS "name"("col", …)`. Made by `query.subquery(name)`.
 * @example const sub = Tweet.select(Tweet.user, fn.count().as('n')).groupBy(Tweet.user).subquery('sub')
 */
export class Subquery<Row = Record<string, unknown>> extends DerivedTable<Row> {
  constructor(
    name: string,
    private readonly query: RowSource,
  ) {
    const columns = query.selectedColumns();
    super(
      name,
      columns.map((c, i) => outputName(c, i)),
      fieldsOf(columns),
    );
  }
  get sourceModel(): AnyModelClass {
    return this.query.sourceModel;
  }
  protected source(): RowSource {
    return this.query;
  }
  fromNode(): Node {
    return alias(this.query.toNode(), this.name, this.columnNames);
  }
}

/** Options of a CTE. */
export interface CteOptions {
  /** `AS MATERIALIZED` (true) or `AS NOT MATERIALIZED` (false); default: PostgreSQL decides. */
  readonly materialized?: boolean;
}

/**
 * A common table expression: `WITH "name"("col", …) AS (query)`. Select
 * from it with `cte.select(...)` (which adds the WITH), or add it to any
 * query with `.with(cte)` and join it or use it in a subquery.
 *
 * @example
 * const top = Tweet.select(Tweet.user, fn.sum(Tweet.likes).as('total')).groupBy(Tweet.user).cte('top')
 * await top.select().where(top.c.total.gt(10))
 * // WITH "top"("user", "total") AS (SELECT …) SELECT "top"."user", "top"."total" FROM "top" WHERE "top"."total" > $1
 */
export class Cte<Row = Record<string, unknown>> extends DerivedTable<Row> {
  /** @internal Use `query.cte(name)`, `cte(name, query)` or `recursiveCte(...)`. */
  constructor(
    name: string,
    columnNames: readonly string[],
    private readonly query: RowSource | undefined,
    readonly recursive: boolean,
    private readonly options: CteOptions = {},
  ) {
    super(name, columnNames, query ? fieldsOf(query.selectedColumns()) : []);
    if (query && query.selectedColumns().length !== columnNames.length) {
      throw new TypeError(`CTE "${name}" names ${columnNames.length} columns but its query selects ${query.selectedColumns().length}`);
    }
  }

  get sourceModel(): AnyModelClass {
    return this.source().sourceModel;
  }

  protected source(): RowSource {
    if (!this.query) {
      throw new TypeError(`the recursive CTE "${this.name}" is still being defined: select from a model and join "${this.name}" in its recursive part`);
    }
    return this.query;
  }

  fromNode(): Node {
    return table(this.name);
  }

  /** @internal The `"name"(cols) AS (query)` item of a WITH clause. */
  spec(): CteSpec {
    if (!this.query) throw new TypeError(`the recursive CTE "${this.name}" has no query yet`);
    return { name: this.name, columns: this.columnNames, query: this.query.toNode() as CteSpec['query'], materialized: this.options.materialized };
  }

  override withClause(): WithClause {
    return { recursive: this.recursive, ctes: [this.spec()] };
  }
}

/**
 * A CTE named `name` holding `query`; its columns are named like the keys of the query's `.dicts()` rows.
 * @example const active = cte('active', User.select(User.id).where(User.isAdmin))
 */
export function cte<Q extends RowSource>(name: string, query: Q, options: CteOptions = {}): Cte<RowOf<Q>> {
  return new Cte<RowOf<Q>>(
    name,
    query.selectedColumns().map((c, i) => outputName(c, i)),
    query,
    false,
    options,
  );
}

type Zip<N extends readonly string[], T> = { [I in keyof N as I extends `${number}` ? N[I] & string : never]: I extends keyof T ? T[I] : unknown };
type TupleOf<Q> = Q extends { tuples(): PromiseLike<(infer T)[]> } ? T : unknown[];

/**
 * A recursive CTE (`WITH RECURSIVE`). `body` receives the CTE itself, to
 * join in the recursive part, and returns the base query combined with the
 * recursive one (`base.unionAll(step)`). Columns are named explicitly since
 * the body refers to them before the query exists.
 *
 * @example
 * const tree = recursiveCte('tree', ['id', 'depth'], (tree) =>
 *   Category.select(Category.id, sql`0`).where(Category.parent.isNull())
 *     .unionAll(Category.select(Category.id, tree.c.depth.add(1)).join(tree, { on: Category.parent.eq(tree.c.id) })))
 * await tree.select()
 * // WITH RECURSIVE "tree"("id", "depth") AS ((SELECT …) UNION ALL (SELECT … INNER JOIN "tree" ON …)) SELECT "tree"."id", "tree"."depth" FROM "tree"
 */
export function recursiveCte<const N extends readonly string[], Q extends RowSource>(
  name: string,
  columns: N,
  body: (self: Cte<{ [K in N[number]]: any }>) => Q,
  options: CteOptions = {},
): Cte<Zip<N, TupleOf<Q>>> {
  const self = new Cte<{ [K in N[number]]: any }>(name, columns, undefined, true);
  return new Cte<Zip<N, TupleOf<Q>>>(name, columns, body(self), true, options);
}
