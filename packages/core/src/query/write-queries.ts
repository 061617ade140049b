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
  type WithClause,
  withClause,
} from '@pewit/query';
import type { Database } from '../database/database.js';
import type { RawResult } from '../database/driver.js';
import type { Program } from '../evaluation/program.js';
import type { ConditionOperand, Expression } from '../expressions/expression.js';
import type { Field } from '../fields/field.js';
import { isModelAlias, type ModelAlias } from '../links/model-alias.js';
import type { ModelMeta } from '../meta/model-meta.js';
import type { Model } from '../model/model.js';
import type { AnyModelClass } from '../model/types.js';
import { assignments, insertCells, valueRows } from './assignments.js';
import { BaseQuery } from './base-query.js';
import { Cte, type CteOptions, cte, DerivedTable, SourceColumn } from './derived-table.js';
import { readModels } from './row-readers.js';
import type { SelectQuery } from './select-query.js';
import { expandSelection, type Selectable, type SelectedColumn } from './selection.js';
import { canUnnest, unnestRows } from './unnest-rows.js';

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

  // A write query with RETURNING is a row source too: the body of a data-modifying CTE
  // (`WITH moved AS (DELETE … RETURNING *) INSERT … SELECT … FROM moved`).

  /** @internal */
  get sourceModel(): AnyModelClass {
    return this.cls;
  }

  /** @internal The RETURNING columns. */
  selectedColumns(): readonly SelectedColumn[] {
    return this.returningColumns();
  }

  /** @internal */
  selectFrom(from: Node, withClause: WithClause | undefined, selection: readonly Selectable[]): SelectQuery<any, any, any> {
    return (this.cls as unknown as { select(): SelectQuery<any> }).select().selectFrom(from, withClause, selection);
  }

  /**
   * This statement as a data-modifying CTE: its RETURNING rows are the CTE's rows, and the statement runs once
   * as part of the query that uses it. Name the row type (`.cte<{ id: number }>('moved')`) to type `moved.c`.
   * @example
   * const moved = Tweet.delete().where(Tweet.likes.eq(0)).returning(Tweet.id, Tweet.content).cte<{ id: number; content: string }>('moved')
   * await Archive.insertFrom(moved.select(moved.c.id, moved.c.content), ['id', 'text'])
   * // WITH "moved"(…) AS (DELETE FROM "tweets" WHERE … RETURNING …) INSERT INTO "archive" ("id", "text") SELECT "moved"."id", "moved"."content" FROM "moved"
   */
  cte<Row extends Record<string, unknown> = Record<string, unknown>>(name: string, options: CteOptions = {}): Cte<Row> {
    return cte(name, this, options) as unknown as Cte<Row>;
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

/** Options of `insertMany()`. */
export interface InsertManyOptions {
  /**
   * Rows per INSERT statement (peewee's `batch_size`): `batchSize: 100` sends
   * 250 rows as three statements. The statements are not wrapped in a
   * transaction; run them inside `db.atomic()` to make them all-or-nothing.
   * Batches are also split at PostgreSQL's 65,535-parameter limit.
   */
  readonly batchSize?: number;
}

/** @internal What an INSERT is built from. */
interface InsertState {
  readonly rows: readonly Record<string, unknown>[];
  readonly mode: 'key' | 'count';
  readonly returning?: readonly Selectable[] | undefined;
  readonly conflict?: OnConflictClause | undefined;
  readonly batchSize?: number | undefined;
  readonly with?: WithClause | undefined;
}

/** Checks `insertMany(rows, { batchSize })` before anything is sent. */
function checkBatchSize(model: string, options: InsertManyOptions): number | undefined {
  // An unknown key (peewee's `batch_size`) would be one more option accepted and ignored.
  for (const key of Object.keys(options ?? {}))
    if (key !== 'batchSize') throw new TypeError(`${model}.insertMany(): unknown option ${JSON.stringify(key)}; the option is batchSize`);
  const n = options.batchSize;
  if (n === undefined) return undefined;
  if (!Number.isSafeInteger(n) || n < 1) throw new TypeError(`${model}.insertMany(): batchSize must be a positive integer, received ${String(n)}`);
  return n;
}

/**
 * A lazy INSERT of one or many rows. `insert()` resolves to the new primary
 * key (`KeyOf`: a tuple in key order for a composite key; `| null` after `onConflict({ ignore: true })`, which
 * may skip the row), `insertMany()` to the number of rows, `.returning(...)` to the rows. `K` is true while
 * `R` is a key.
 * Rows above PostgreSQL's parameter limit (or above `batchSize`) are sent in several statements.
 *
 * @example await User.insert({ username: 'alice' }) // INSERT INTO "users" ("username", …) VALUES ($1, …) RETURNING "users"."id"
 */
export class InsertQuery<R = unknown, I = Model, K extends boolean = false> extends WriteQuery<R> {
  readonly #state: InsertState;

  /** @internal */
  constructor(cls: AnyModelClass, state: InsertState, options: InsertManyOptions = {}) {
    super(cls, state.returning);
    const batchSize = checkBatchSize(cls._meta.name, options) ?? state.batchSize;
    this.#state = { ...state, batchSize };
  }

  #next<X, XK extends boolean = K>(changes: Partial<InsertState>): InsertQuery<X, I, XK> {
    return new InsertQuery<X, I, XK>(this.cls, { ...this.#state, ...changes });
  }

  /**
   * ON CONFLICT handling.
   * @example User.insertMany(rows).onConflict({ target: [User.username], ignore: true })
   * @example .onConflict({ target: [User.username], update: { age: excluded(User.age) } })
   */
  onConflict<const C extends OnConflictOptions>(options: C): InsertQuery<K extends true ? (C extends { ignore: true } ? R | null : R) : R, I, K> {
    return this.#next({ conflict: conflictClause(this.meta, options) });
  }

  /** RETURNING the given columns (default: the whole row); resolves to the returned rows as instances. */
  returning<T = I>(...items: Selectable[]): InsertQuery<T[], I, false> {
    return this.#next<T[], false>({ returning: items.length ? items : [this.cls] });
  }

  /**
   * Adds CTEs in front of the INSERT (`WITH … INSERT …`), e.g. to use them in `onConflict` or a value's subquery.
   * @example User.insertMany(rows).with(admins) // WITH "admins" AS (…) INSERT INTO "users" …
   */
  with(...ctes: Cte<any>[]): InsertQuery<R, I, K> {
    return this.#next<R>({ with: addCtes(this.#state.with, ctes) });
  }

  #statements(): InsertNode[] {
    const { columns, fields, cells: values } = insertCells(this.meta, this.#state.rows);
    // insert() resolves to the key: every key column, so a composite key comes back whole.
    const keyFields = this.meta.keyFields;
    const returning = this.returningItems ? this.returningColumns().map((c) => c.node) : this.#state.mode === 'key' ? keyFields.map((f) => f.toNode()) : [];
    // One array per column (unnest) has no parameter limit; the VALUES form holds MAX_PARAMETERS per statement.
    const arrays = canUnnest(fields, values);
    const limit = arrays ? Math.max(values.length, 1) : Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(columns.length, 1)));
    const batch = Math.min(limit, this.#state.batchSize ?? limit);
    const out: InsertNode[] = [];
    for (let i = 0; i < Math.max(values.length, 1); i += batch) {
      const rows = values.slice(i, i + batch);
      out.push(
        insertStatement({
          with: this.#state.with,
          table: this.meta.tableNode,
          columns,
          values: arrays && rows.length > 1 ? unnestRows(fields, rows) : valueRows(rows),
          onConflict: this.#state.conflict,
          returning,
        }),
      );
    }
    return out;
  }

  toNode(): InsertNode {
    const statements = this.#statements();
    if (statements.length !== 1)
      throw new TypeError(`this insert needs ${statements.length} statements (batchSize or the parameter limit); it has no single SQL form`);
    return statements[0] as InsertNode;
  }

  /**
   * The inserted row's key: its value for a single-column key, a tuple in key order for a composite key (the form
   * `getById` takes), `null` when the INSERT returned no row (`onConflict({ ignore: true })` skipped it).
   */
  #keyOf(row: RawResult['rows'][number] | undefined): unknown {
    if (!row) return null;
    const parts = this.meta.keyFields.map((field, i) => (row[i] === null || row[i] === undefined ? null : (field as Field).fromDb(row[i])));
    return this.meta.keyFields.length > 1 ? parts : (parts[0] ?? null);
  }

  protected *program(): Program<R> {
    let rows: unknown[] = [];
    let count = 0;
    let key: unknown = null;
    for (const node of this.#statements()) {
      const result: RawResult = yield compile(node);
      count += result.rowCount ?? 0;
      if (this.returningItems) rows = rows.concat(this.readAffected(result) as unknown[]);
      else if (this.#state.mode === 'key') key = this.#keyOf(result.rows[0]);
    }
    return (this.returningItems ? rows : this.#state.mode === 'key' ? key : count) as R;
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

/** A table in `UPDATE … FROM` or `DELETE … USING`: a model, a model alias, a subquery or a CTE. */
export type FromItem = AnyModelClass | ModelAlias<any> | DerivedTable<any>;

/** The FROM node of an item, and the CTE it needs in WITH (a CTE used in FROM must be in WITH). */
function fromNodeOf(item: FromItem, owner: string, clause: string): { node: Node; cte?: Cte<any> } {
  if (item instanceof Cte) return { node: item.fromNode(), cte: item };
  if (item instanceof DerivedTable) return { node: item.fromNode() };
  if (isModelAlias(item)) return { node: item.toNode() };
  if (typeof item === 'function' && (item as AnyModelClass)._meta !== undefined) return { node: (item as AnyModelClass)._meta.tableNode };
  throw new TypeError(`${owner}.${clause}(): pass a model, a model alias, a subquery or a CTE, received ${typeof item}`);
}

/** @internal The CTEs of `current` followed by `ctes`; RECURSIVE when any of them is. */
export function addCtes(current: WithClause | undefined, ctes: readonly Cte<any>[]): WithClause {
  for (const c of ctes) if (!(c instanceof Cte)) throw new TypeError(`with(): pass CTEs made with query.cte(name) or cte(name, query), received ${typeof c}`);
  const known = current?.ctes ?? [];
  const specs = [...known, ...ctes.filter((c) => !known.some((k) => k.name === c.name && k.query === c.spec().query)).map((c) => c.spec())];
  return withClause((current?.recursive ?? false) || ctes.some((c) => c.recursive), specs);
}

/** Adds the tables of `from()`/`using()` and the CTEs they need. */
function addFrom(
  state: { readonly from?: readonly Node[] | undefined; readonly with?: WithClause | undefined },
  items: readonly FromItem[],
  owner: string,
  clause: string,
): { from: readonly Node[]; with: WithClause | undefined } {
  const resolved = items.map((i) => fromNodeOf(i, owner, clause));
  const ctes = resolved.flatMap((r) => (r.cte ? [r.cte] : []));
  return { from: [...(state.from ?? []), ...resolved.map((r) => r.node)], with: ctes.length ? addCtes(state.with, ctes) : state.with };
}

/** @internal What an UPDATE is built from. */
interface UpdateState {
  /** The SET pairs, validated once when `update(data)` was written; every later step reuses them. */
  readonly set: readonly [string, Node][];
  readonly condition?: Node | undefined;
  readonly returning?: readonly Selectable[] | undefined;
  readonly from?: readonly Node[] | undefined;
  readonly with?: WithClause | undefined;
}

/**
 * A lazy UPDATE; resolves to the number of rows changed.
 * @example await Tweet.update({ likes: Tweet.likes.add(1) }).where(Tweet.id.eq(1)) // UPDATE "tweets" SET "likes" = "tweets"."likes" + $1 WHERE …
 */
export class UpdateQuery<R = number, I = Model> extends WriteQuery<R> {
  readonly #state: UpdateState;

  /** @internal */
  constructor(cls: AnyModelClass, state: UpdateState | { readonly data: Record<string, unknown> }) {
    super(cls, 'set' in state ? state.returning : undefined);
    // Validated now, so a bad value fails where it was written; `where()` and the rest reuse the result.
    this.#state = 'set' in state ? state : { set: assignments(this.meta, state.data) };
  }

  #next<X>(changes: Partial<UpdateState>): UpdateQuery<X, I> {
    return new UpdateQuery<X, I>(this.cls, { ...this.#state, ...changes });
  }

  /** Conditions, ANDed. */
  where(...conditions: ConditionOperand[]): UpdateQuery<R, I> {
    let where = this.#state.condition;
    for (const c of conditions) where = andNodes(where, c.toNode());
    return this.#next<R>({ condition: where });
  }

  /**
   * `UPDATE … FROM other`: other tables the SET values and WHERE may use; join them in `where`.
   * @example Tweet.update({ likes: sub.c.n }).from(sub).where(Tweet.user.eq(sub.c.user)) // UPDATE "tweets" SET "likes" = "sub"."n" FROM (…) AS "sub"("user", "n") WHERE …
   */
  from(...items: FromItem[]): UpdateQuery<R, I> {
    return this.#next<R>(addFrom(this.#state, items, this.meta.name, 'update().from'));
  }

  /**
   * Adds CTEs in front of the UPDATE (`WITH … UPDATE …`).
   * @example Tweet.update({ likes: 0 }).with(top).where(Tweet.user.in(top.select(top.c.user))) // WITH "top" AS (…) UPDATE "tweets" …
   */
  with(...ctes: Cte<any>[]): UpdateQuery<R, I> {
    return this.#next<R>({ with: addCtes(this.#state.with, ctes) });
  }

  /** RETURNING columns; resolves to the updated rows as instances. */
  returning<T = I>(...items: Selectable[]): UpdateQuery<T[], I> {
    return this.#next<T[]>({ returning: items.length ? items : [this.cls] });
  }

  toNode(): UpdateNode {
    return updateStatement({
      with: this.#state.with,
      table: this.meta.tableNode,
      set: this.#state.set,
      from: this.#state.from,
      where: this.#state.condition,
      returning: this.returningColumns().map((c) => c.node),
    });
  }

  protected *program(): Program<R> {
    return this.readAffected(yield this.sql()) as R;
  }
}

/** @internal What a DELETE is built from. */
interface DeleteState {
  readonly condition?: Node | undefined;
  readonly returning?: readonly Selectable[] | undefined;
  readonly from?: readonly Node[] | undefined;
  readonly with?: WithClause | undefined;
}

/**
 * A lazy DELETE; resolves to the number of rows deleted.
 * @example await User.delete().where(User.id.eq(3)) // DELETE FROM "users" WHERE ("users"."id" = $1)
 */
export class DeleteQuery<R = number, I = Model> extends WriteQuery<R> {
  readonly #state: DeleteState;

  /** @internal */
  constructor(cls: AnyModelClass, state: DeleteState = {}) {
    super(cls, state.returning);
    this.#state = state;
  }

  #next<X>(changes: Partial<DeleteState>): DeleteQuery<X, I> {
    return new DeleteQuery<X, I>(this.cls, { ...this.#state, ...changes });
  }

  /** Conditions, ANDed. */
  where(...conditions: ConditionOperand[]): DeleteQuery<R, I> {
    let where = this.#state.condition;
    for (const c of conditions) where = andNodes(where, c.toNode());
    return this.#next<R>({ condition: where });
  }

  /**
   * `DELETE … USING other`: other tables the WHERE may use to pick the rows.
   * @example Tweet.delete().using(User).where(Tweet.user.eq(User.id), User.isAdmin.eq(false)) // DELETE FROM "tweets" USING "users" WHERE …
   */
  using(...items: FromItem[]): DeleteQuery<R, I> {
    const { from, with: w } = addFrom(this.#state, items, this.meta.name, 'delete().using');
    return this.#next<R>({ from, with: w });
  }

  /**
   * Adds CTEs in front of the DELETE (`WITH … DELETE …`).
   * @example Tweet.delete().with(old).where(Tweet.id.in(old.select(old.c.id))) // WITH "old" AS (…) DELETE FROM "tweets" …
   */
  with(...ctes: Cte<any>[]): DeleteQuery<R, I> {
    return this.#next<R>({ with: addCtes(this.#state.with, ctes) });
  }

  /** RETURNING columns; resolves to the deleted rows as instances. */
  returning<T = I>(...items: Selectable[]): DeleteQuery<T[], I> {
    return this.#next<T[]>({ returning: items.length ? items : [this.cls] });
  }

  toNode(): DeleteNode {
    return deleteStatement({
      with: this.#state.with,
      table: this.meta.tableNode,
      using: this.#state.from,
      where: this.#state.condition,
      returning: this.returningColumns().map((c) => c.node),
    });
  }

  protected *program(): Program<R> {
    return this.readAffected(yield this.sql()) as R;
  }
}
