import {
  type CompoundSelectNode,
  column,
  compound,
  type Expressible,
  type Node,
  type OrderByNode,
  orderBy as orderByNode,
  type SetOperator,
  value,
  type WithClause,
} from '@pewit/query';
import type { Database } from '../database/database.js';
import type { ConnectionIntent, RawResult } from '../database/driver.js';
import { formatParamsForMessage } from '../errors/params-in-messages.js';
import { DoesNotExist } from '../errors/usage-errors.js';
import { describe } from '../evaluation/description.js';
import { type Program, single } from '../evaluation/program.js';
import { Expression, Ordering } from '../expressions/expression.js';

import type { AnyModelClass } from '../model/types.js';
import { BaseQuery } from './base-query.js';
import { checkCount, countProgram } from './count.js';
import { readIntentOf } from './read-intent.js';
import type { RowSource } from './row-source.js';
import type { SelectQuery } from './select-query.js';
import type { Selectable, SelectedColumn } from './selection.js';

/** What a compound query reads its rows with: the leftmost SELECT, which fixes the columns and row shape. */
export interface RowReader<R> extends RowSource {
  read(result: RawResult): R[];
}

/** ORDER BY of a set operation may only name output columns, so table qualifiers are dropped. */
function unqualified(item: OrderByNode): OrderByNode {
  const expr: Node = item.expr.kind === 'column' ? column(item.expr.name) : item.expr.kind === 'alias' ? column(item.expr.alias) : item.expr;
  return orderByNode(expr, item.direction, item.nulls);
}

/**
 * `UNION`, `UNION ALL`, `INTERSECT` or `EXCEPT` of queries with the same
 * columns. Rows are read like the leftmost query's rows (instances, dicts or
 * tuples). Immutable and lazy like every query.
 *
 * @example
 * await User.select(User.username).where(User.isAdmin).union(User.select(User.username).where(User.id.lt(3))).orderBy(User.username)
 * // (SELECT "users"."username" FROM "users" WHERE "users"."is_admin") UNION (SELECT … WHERE "users"."id" < $1) ORDER BY "username" ASC
 */
export class CompoundQuery<R = unknown, D = Record<string, unknown>, T = unknown[]> extends BaseQuery<R[]> implements RowSource {
  /** @internal Use `query.union(other)` and friends. */
  constructor(
    private readonly reader: RowReader<R> & { dicts(): RowReader<D>; tuples(): RowReader<T> },
    private readonly node: CompoundSelectNode,
  ) {
    super();
  }

  /** @internal */
  static of<R, D, T>(left: RowSource, op: SetOperator, right: RowSource, reader: RowReader<R>): CompoundQuery<R, D, T> {
    return new CompoundQuery<R, D, T>(reader as never, compound(left.toNode(), op, right.toNode()));
  }

  get sourceModel(): AnyModelClass {
    return this.reader.sourceModel;
  }

  selectedColumns(): readonly SelectedColumn[] {
    return this.reader.selectedColumns();
  }

  /** @internal */
  selectFrom(from: Node, withClause: WithClause | undefined, selection: readonly Selectable[]): SelectQuery<any, any, any> {
    return this.reader.selectFrom(from, withClause, selection);
  }

  toNode(): CompoundSelectNode {
    return this.node;
  }

  protected database(): Database {
    return this.sourceModel._meta.requireDatabase();
  }

  /** A set operation of plain reads may run on a read replica outside a transaction. */
  protected override intent(): ConnectionIntent {
    return this.database().routesReads ? readIntentOf(this.node) : 'write';
  }

  protected get label(): string {
    return `CompoundQuery<${this.sourceModel._meta.name}>`;
  }

  #next(op: SetOperator, other: RowSource): CompoundQuery<R, D, T> {
    return new CompoundQuery<R, D, T>(this.reader, compound(this.node, op, other.toNode()));
  }

  #change(changes: Partial<Omit<CompoundSelectNode, 'kind'>>): CompoundQuery<R, D, T> {
    return new CompoundQuery<R, D, T>(this.reader, Object.freeze({ ...this.node, ...changes }));
  }

  /** `… UNION (other)`: rows of both, duplicates removed. */
  union(other: RowSource): CompoundQuery<R, D, T> {
    return this.#next('UNION', other);
  }
  /** `… UNION ALL (other)`: rows of both, duplicates kept. */
  unionAll(other: RowSource): CompoundQuery<R, D, T> {
    return this.#next('UNION ALL', other);
  }
  /** `… INTERSECT (other)`: rows in both. */
  intersect(other: RowSource): CompoundQuery<R, D, T> {
    return this.#next('INTERSECT', other);
  }
  /** `… EXCEPT (other)`: rows not in `other`. */
  except(other: RowSource): CompoundQuery<R, D, T> {
    return this.#next('EXCEPT', other);
  }

  /** ORDER BY of the combined rows; columns are referred to by output name. @example .orderBy(User.username.desc()) // ORDER BY "username" DESC */
  orderBy(...items: Expressible[]): CompoundQuery<R, D, T> {
    const nodes = items.map((i) => unqualified(i instanceof Ordering ? i.toNode() : new Expression(i.toNode()).asc().toNode()));
    return this.#change({ orderBy: nodes });
  }
  /** LIMIT of the combined rows. */
  limit(n: number | null): CompoundQuery<R, D, T> {
    return this.#change({ limit: n === null ? undefined : value(checkCount(n, 'limit')) });
  }
  /** OFFSET of the combined rows. */
  offset(n: number | null): CompoundQuery<R, D, T> {
    return this.#change({ offset: n === null ? undefined : value(checkCount(n, 'offset')) });
  }

  /** Rows as plain objects keyed like the leftmost query's `.dicts()`. */
  dicts(): CompoundQuery<D, D, T> {
    return new CompoundQuery<D, D, T>(this.reader.dicts() as never, this.node);
  }
  /** Rows as arrays. */
  tuples(): CompoundQuery<T, D, T> {
    return new CompoundQuery<T, D, T>(this.reader.tuples() as never, this.node);
  }

  protected program(): Program<R[]> {
    return single(this.sql(), (result) => this.reader.read(result));
  }

  #firstProgram(): Program<R | null> {
    const limited = this.limit(1);
    return single(limited.sql(), (result) => this.reader.read(result)[0] ?? null);
  }

  #getProgram(): Program<R> {
    const compiled = this.limit(1).sql();
    return single(compiled, (result) => {
      const row = this.reader.read(result)[0];
      if (row !== undefined) return row;
      const model = this.sourceModel as unknown as { DoesNotExist?: typeof DoesNotExist };
      const Missing = model.DoesNotExist ?? DoesNotExist;
      throw new Missing(
        `${this.sourceModel._meta.name} matching the query does not exist: ${compiled.text} ${formatParamsForMessage(compiled.values)}`,
        compiled.text,
        compiled.values,
      );
    });
  }

  /** The first combined row, or `null`: LIMIT 1 on the whole set operation. @example await a.union(b).orderBy(User.username).first() // (…) UNION (…) ORDER BY "username" ASC LIMIT $1 */
  first(): Promise<R | null> {
    return this.database().evaluate(this.#firstProgram(), describe('first', this.label), this.intent());
  }
  /** Blocking twin of `first`. */
  firstSync(): R | null {
    return this.database().evaluateSync(this.#firstProgram(), describe('firstSync', this.label, 'await query.first()'), this.intent());
  }
  /** The first combined row; throws `Model.DoesNotExist` (of the leftmost query's model) when there is none. */
  get(): Promise<R> {
    return this.database().evaluate(this.#getProgram(), describe('get', this.label), this.intent());
  }
  /** Blocking twin of `get`. */
  getSync(): R {
    return this.database().evaluateSync(this.#getProgram(), describe('getSync', this.label, 'await query.get()'), this.intent());
  }

  /** The number of combined rows: `SELECT count(*) FROM (…) AS "_wrapped"`. */
  count(): Promise<number> {
    return this.database().evaluate(countProgram(this.node), describe('count', this.label), this.intent());
  }
  /** Blocking twin of `count`. */
  countSync(): number {
    return this.database().evaluateSync(countProgram(this.node), describe('countSync', this.label, 'await query.count()'), this.intent());
  }
}
