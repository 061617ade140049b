import { type InsertNode, insertStatement, type OnConflictClause, type WithClause, withClause } from '@pewit/query';
import type { Program } from '../evaluation/program.js';
import type { AnyField } from '../fields/field.js';
import { Field } from '../fields/field.js';
import type { Model } from '../model/model.js';

import type { AnyModelClass } from '../model/types.js';
import { fieldForKey } from './assignments.js';
import type { Cte } from './derived-table.js';
import type { RowSource } from './row-source.js';
import type { Selectable } from './selection.js';
import { addCtes, conflictClause, type OnConflictOptions, WriteQuery } from './write-queries.js';

/**
 * `INSERT INTO t (cols) SELECT …`: inserts the rows a query returns, column
 * by column in `fields` order. Resolves to the number of rows inserted, or
 * to the rows with `.returning(...)`. Fields not named get the column's
 * server default: JavaScript-side defaults are not applied to rows the server makes.
 *
 * @example await Archive.insertFrom(Tweet.select(Tweet.id, Tweet.content).where(Tweet.likes.lt(1)), [Archive.id, Archive.content])
 * // INSERT INTO "archive" ("id", "content") SELECT "tweets"."id", "tweets"."content" FROM "tweets" WHERE "tweets"."likes" < $1
 */
export class InsertFromQuery<R = number, I = Model> extends WriteQuery<R> {
  /** @internal Use `Model.insertFrom(query, fields)`. */
  constructor(
    cls: AnyModelClass,
    private readonly source: RowSource,
    private readonly fields: readonly AnyField[],
    returning?: readonly Selectable[],
    private readonly conflict?: OnConflictClause,
    private readonly ctes?: WithClause,
  ) {
    super(cls, returning);
  }

  /** @internal Resolves `fields` (fields or property names) against the model and checks the column count. */
  static create<I = Model>(cls: AnyModelClass, source: RowSource, fields: readonly (AnyField | string)[]): InsertFromQuery<number, I> {
    const meta = cls._meta;
    const resolved = fields.map((f) => {
      const field = typeof f === 'string' ? fieldForKey(meta, f) : f;
      if (!(field instanceof Field) || field.owner !== meta) {
        throw new TypeError(`${meta.name}.insertFrom(): ${typeof f === 'string' ? f : `${field.owner?.name}.${field.name}`} is not a field of ${meta.name}`);
      }
      return field;
    });
    if (resolved.length === 0) throw new TypeError(`${meta.name}.insertFrom(): name the fields the query's columns go into`);
    const selected = source.selectedColumns().length;
    if (selected !== resolved.length) {
      throw new TypeError(
        `${meta.name}.insertFrom(): the query selects ${selected} columns but ${resolved.length} fields were named; they must match one to one`,
      );
    }
    return new InsertFromQuery<number, I>(cls, source, resolved);
  }

  /** ON CONFLICT handling, as for `insertMany`. */
  onConflict(options: OnConflictOptions): InsertFromQuery<R, I> {
    return new InsertFromQuery<R, I>(this.cls, this.source, this.fields, this.returningItems, conflictClause(this.meta, options), this.ctes);
  }

  /** RETURNING the given columns (default: the whole row); resolves to the inserted rows as instances. */
  returning<T = I>(...items: Selectable[]): InsertFromQuery<T[], I> {
    return new InsertFromQuery<T[], I>(this.cls, this.source, this.fields, items.length ? items : [this.cls], this.conflict, this.ctes);
  }

  /** Adds CTEs in front of the INSERT (`WITH … INSERT … SELECT …`). */
  with(...ctes: Cte<any>[]): InsertFromQuery<R, I> {
    return new InsertFromQuery<R, I>(this.cls, this.source, this.fields, this.returningItems, this.conflict, addCtes(this.ctes, ctes));
  }

  toNode(): InsertNode {
    // The source's WITH moves up in front of the INSERT: PostgreSQL runs a data-modifying CTE only at the top level
    // (`WITH moved AS (DELETE … RETURNING …) INSERT … SELECT … FROM moved`), and a plain one means the same there.
    const source = this.source.toNode();
    const hoisted = (source.kind === 'select' || source.kind === 'compound') && source.with ? source.with : undefined;
    const ctes = hoisted ? withClause(hoisted.recursive || (this.ctes?.recursive ?? false), [...(this.ctes?.ctes ?? []), ...hoisted.ctes]) : this.ctes;
    return insertStatement({
      with: ctes,
      table: this.meta.tableNode,
      columns: this.fields.map((f) => f.columnName),
      values: hoisted ? { ...source, with: undefined } : source,
      onConflict: this.conflict,
      returning: this.returningColumns().map((c) => c.node),
    });
  }

  protected *program(): Program<R> {
    return this.readAffected(yield this.sql()) as R;
  }
}
