import {
  column,
  compile,
  type DeleteNode,
  deleteStatement,
  type Expressible,
  type InsertNode,
  insertStatement,
  logical,
  type Node,
  type OnConflictClause,
  onConflictClause,
  type UpdateNode,
  updateStatement,
} from '@pewit/query';
import type { Database } from '../database/database.js';
import type { RawResult } from '../database/driver.js';
import type { Program } from '../evaluation/program.js';
import type { Expression } from '../expressions/expression.js';
import type { Field } from '../fields/field.js';
import type { ModelMeta } from '../meta/model-meta.js';
import type { Model } from '../model/model.js';

import type { AnyModelClass } from '../model/types.js';
import { assignments, insertRows } from './assignments.js';
import { BaseQuery } from './base-query.js';
import { SourceColumn } from './derived-table.js';
import { readModels } from './row-readers.js';
import { expandSelection, type Selectable, type SelectedColumn } from './selection.js';

/** PostgreSQL accepts at most 65,535 parameters per statement. */
const MAX_PARAMETERS = 65_535;

const andNodes = (a: Node | undefined, b: Node): Node => (a ? logical('AND', [a, b]) : b);

/** @internal What the write queries share: a model, RETURNING, and how results are read. */
export abstract class WriteQuery<R> extends BaseQuery<R> {
  constructor(
    protected readonly cls: AnyModelClass,
    protected readonly returningItems: readonly Selectable[] | undefined,
  ) {
    super();
    cls._meta.requireWritable('be written (INSERT, UPDATE, DELETE)');
  }

  protected get meta(): ModelMeta {
    return this.cls._meta;
  }

  protected database(): Database {
    return this.meta.requireDatabase();
  }

  protected returningColumns(): readonly SelectedColumn[] {
    return this.returningItems ? expandSelection(this.returningItems, this.cls) : [];
  }

  /** Rows affected, or the returned rows when `returning()` was called. */
  protected readAffected(result: RawResult): unknown {
    return this.returningItems ? readModels(this.cls, this.returningColumns(), result) : (result.rowCount ?? 0);
  }

  protected override get label(): string {
    return `${this.constructor.name}<${this.meta.name}>`;
  }
}

/** Options of `onConflict()`. */
export interface OnConflictOptions {
  /** Conflict target columns (a unique index). */
  readonly target?: readonly Field<any, any, any>[];
  /** Or a named constraint. */
  readonly constraint?: string;
  /** The predicate of a partial unique index: `ON CONFLICT (…) WHERE …`. */
  readonly targetWhere?: Expressible;
  /** `DO NOTHING`. */
  readonly ignore?: boolean;
  /** `DO UPDATE SET …`; values may use `excluded(Field)`. */
  readonly update?: Record<string, unknown>;
  /** `WHERE` of the DO UPDATE. */
  readonly where?: Expressible;
}

/**
 * A lazy INSERT of one or many rows. `insert()` resolves to the new primary
 * key, `insertMany()` to the number of rows, `.returning(...)` to the rows.
 * Rows above PostgreSQL's parameter limit are sent in several statements.
 *
 * @example await User.insert({ username: 'alice' }) // INSERT INTO "users" ("username", …) VALUES ($1, …) RETURNING "users"."id"
 */
export class InsertQuery<R = unknown, I = Model> extends WriteQuery<R> {
  /** @internal */
  constructor(
    cls: AnyModelClass,
    private readonly rows: readonly Record<string, unknown>[],
    private readonly mode: 'key' | 'count',
    returning?: readonly Selectable[],
    private readonly conflict?: OnConflictClause,
  ) {
    super(cls, returning);
  }

  /**
   * ON CONFLICT handling.
   * @example User.insertMany(rows).onConflict({ target: [User.username], ignore: true })
   * @example .onConflict({ target: [User.username], update: { age: excluded(User.age) } })
   */
  onConflict(options: OnConflictOptions): InsertQuery<R, I> {
    return new InsertQuery<R, I>(this.cls, this.rows, this.mode, this.returningItems, conflictClause(this.meta, options));
  }

  /** RETURNING the given columns (default: the whole row); resolves to the returned rows as instances. */
  returning<T = I>(...items: Selectable[]): InsertQuery<T[], I> {
    return new InsertQuery<T[], I>(this.cls, this.rows, this.mode, items.length ? items : [this.cls], this.conflict);
  }

  #statements(): InsertNode[] {
    const { columns, values } = insertRows(this.meta, this.rows);
    const pk = this.meta.primaryKey;
    const returning = this.returningItems ? this.returningColumns().map((c) => c.node) : this.mode === 'key' && pk ? [pk.toNode()] : [];
    const perRow = Math.max(columns.length, 1);
    const batch = Math.max(1, Math.floor(MAX_PARAMETERS / perRow));
    const out: InsertNode[] = [];
    for (let i = 0; i < Math.max(values.length, 1); i += batch) {
      out.push(insertStatement({ table: this.meta.tableNode, columns, values: values.slice(i, i + batch), onConflict: this.conflict, returning }));
    }
    return out;
  }

  toNode(): InsertNode {
    const statements = this.#statements();
    if (statements.length !== 1) throw new TypeError(`this insert needs ${statements.length} statements (parameter limit); it has no single SQL form`);
    return statements[0] as InsertNode;
  }

  protected *program(): Program<R> {
    let rows: unknown[] = [];
    let count = 0;
    let key: unknown = null;
    for (const node of this.#statements()) {
      const result: RawResult = yield compile(node);
      count += result.rowCount ?? 0;
      if (this.returningItems) rows = rows.concat(this.readAffected(result) as unknown[]);
      else if (this.mode === 'key') {
        const cell = result.rows[0]?.[0];
        key = cell === null || cell === undefined ? null : (this.meta.primaryKey as Field).fromDb(cell);
      }
    }
    return (this.returningItems ? rows : this.mode === 'key' ? key : count) as R;
  }
}

/** @internal Validates `onConflict()` options into the clause. */
export function conflictClause(meta: ModelMeta, options: OnConflictOptions): OnConflictClause {
  if (options.ignore && options.update) throw new TypeError('onConflict: choose ignore or update, not both');
  if (!options.ignore && !options.update) throw new TypeError('onConflict: pass { ignore: true } or { update: {...} }');
  if (options.target?.length && options.constraint !== undefined) throw new TypeError('onConflict: choose target or constraint, not both');
  if (options.update && !options.target?.length && options.constraint === undefined) {
    throw new TypeError('onConflict: an update needs the conflicting unique columns (target: [...]) or a constraint name (constraint: "...")');
  }
  // Columns are unqualified in the conflict target, as PostgreSQL requires.
  return onConflictClause({
    target: options.target?.map((f) => column(f.columnName)),
    constraint: options.constraint,
    targetWhere: options.targetWhere?.toNode(),
    action: options.ignore ? 'nothing' : 'update',
    set: options.update ? assignments(meta, options.update) : undefined,
    where: options.where?.toNode(),
  });
}

/**
 * `excluded.column` inside `onConflict({ update })`: the value that failed to
 * insert. It is an expression like the column itself: it takes every
 * operator and function a column takes, and validates operands by the field.
 * @example .onConflict({ target: [User.username], update: { likes: excluded(Tweet.likes).add(Tweet.likes) } }) // SET "likes" = "excluded"."likes" + "tweets"."likes"
 */
export function excluded<T, TIn>(field: Field<T, TIn, any>): Expression<T, TIn> {
  return new SourceColumn<T>('excluded', field.columnName, field) as unknown as Expression<T, TIn>;
}

/**
 * A lazy UPDATE; resolves to the number of rows changed.
 * @example await Tweet.update({ likes: Tweet.likes.add(1) }).where(Tweet.id.eq(1)) // UPDATE "tweets" SET "likes" = "tweets"."likes" + $1 WHERE …
 */
export class UpdateQuery<R = number, I = Model> extends WriteQuery<R> {
  /** @internal */
  constructor(
    cls: AnyModelClass,
    private readonly data: Record<string, unknown>,
    private readonly condition?: Node,
    returning?: readonly Selectable[],
  ) {
    super(cls, returning);
    assignments(this.meta, data); // validate now, so a bad value fails where it was written
  }

  /** Conditions, ANDed. */
  where(...conditions: Expressible[]): UpdateQuery<R, I> {
    let where = this.condition;
    for (const c of conditions) where = andNodes(where, c.toNode());
    return new UpdateQuery<R, I>(this.cls, this.data, where, this.returningItems);
  }

  /** RETURNING columns; resolves to the updated rows as instances. */
  returning<T = I>(...items: Selectable[]): UpdateQuery<T[], I> {
    return new UpdateQuery<T[], I>(this.cls, this.data, this.condition, items.length ? items : [this.cls]);
  }

  toNode(): UpdateNode {
    return updateStatement({
      table: this.meta.tableNode,
      set: assignments(this.meta, this.data),
      where: this.condition,
      returning: this.returningColumns().map((c) => c.node),
    });
  }

  protected *program(): Program<R> {
    return this.readAffected(yield this.sql()) as R;
  }
}

/**
 * A lazy DELETE; resolves to the number of rows deleted.
 * @example await User.delete().where(User.id.eq(3)) // DELETE FROM "users" WHERE ("users"."id" = $1)
 */
export class DeleteQuery<R = number, I = Model> extends WriteQuery<R> {
  /** @internal */
  constructor(
    cls: AnyModelClass,
    private readonly condition?: Node,
    returning?: readonly Selectable[],
  ) {
    super(cls, returning);
  }

  /** Conditions, ANDed. */
  where(...conditions: Expressible[]): DeleteQuery<R, I> {
    let where = this.condition;
    for (const c of conditions) where = andNodes(where, c.toNode());
    return new DeleteQuery<R, I>(this.cls, where, this.returningItems);
  }

  /** RETURNING columns; resolves to the deleted rows as instances. */
  returning<T = I>(...items: Selectable[]): DeleteQuery<T[], I> {
    return new DeleteQuery<T[], I>(this.cls, this.condition, items.length ? items : [this.cls]);
  }

  toNode(): DeleteNode {
    return deleteStatement({ table: this.meta.tableNode, where: this.condition, returning: this.returningColumns().map((c) => c.node) });
  }

  protected *program(): Program<R> {
    return this.readAffected(yield this.sql()) as R;
  }
}
