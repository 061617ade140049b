import {
  type CompiledQuery,
  column,
  compile,
  EMPTY_SELECT,
  type Expressible,
  type JoinType,
  join as joinNode,
  lockClause,
  logical,
  type Node,
  type OrderByNode,
  type SelectNode,
  updateSelect,
  value,
  type WithClause,
} from '@pewit/query';
import type { Database } from '../database/database.js';
import type { ConnectionIntent, RawResult } from '../database/driver.js';
import { formatParamsForMessage } from '../errors/params-in-messages.js';
import { DoesNotExist } from '../errors/usage-errors.js';
import { describe } from '../evaluation/description.js';
import { type Program, single } from '../evaluation/program.js';
import { type AliasedExpression, type ConditionOperand, Expression, Ordering } from '../expressions/expression.js';
import { type JoinLink, type JoinSource, joinModel } from '../links/join-links.js';
import type { ModelAlias } from '../links/model-alias.js';
import { type PrefetchGroups, type PrefetchItem, withPrefetch } from '../links/prefetch-program.js';
import type { AnyModelClass } from '../model/types.js';
import { decoderFor } from '../types/text-decoders.js';
import { BaseQuery } from './base-query.js';
import { CompoundQuery } from './compound-query.js';
import { checkCount, countProgram } from './count.js';
import { type Cte, type CteOptions, cte, DerivedTable, Subquery } from './derived-table.js';
import { readIntentOf } from './read-intent.js';
import { checkDictKeys, checkModelRead, type RowShape, readDicts, readModels, readTuples } from './row-readers.js';
import type { RowSource } from './row-source.js';
import type { JoinedRow, ScalarOf } from './row-types.js';
import { expandSelection, nodesOf, type Selectable, type SelectedColumn } from './selection.js';
import { batchSizeOf, type IteratorOptions, streamRows } from './stream.js';
import { prefetchingReader } from './stream-prefetch.js';

/** @internal The parts of a SELECT builder. */
export interface SelectState {
  readonly cls: AnyModelClass;
  readonly selection: readonly Selectable[];
  readonly node: SelectNode;
  readonly shape: RowShape;
  /** Models in FROM and JOIN, to infer join conditions. */
  readonly models: readonly AnyModelClass[];
  /** Model aliases joined, and which instance each joined model is attached to (links/join-links.ts). */
  readonly aliases?: readonly JoinSource[];
  readonly links?: readonly JoinLink[];
  /** Relations loaded after the rows, one query per level, one group per `.prefetch()` call (links/prefetch-program.ts). */
  readonly prefetch?: PrefetchGroups;
}

/** Options of `join()`. */
export interface JoinOptions {
  readonly on?: ConditionOperand;
  readonly type?: JoinType;
  /** `JOIN LATERAL`, for a subquery that refers to earlier FROM items. */
  readonly lateral?: boolean;
  /** The model already in the query to join from, when it is ambiguous. */
  readonly from?: AnyModelClass | ModelAlias<any>;
}

const andNodes = (a: Node | undefined, b: Node): Node => (a ? logical('AND', [a, b]) : b);

/**
 * A lazy SELECT. Building it sends nothing; `await`, `for…of`, `…Sync()`
 * and the other evaluating calls run it, each time anew.
 *
 * @example
 * const q = Tweet.select().where(Tweet.likes.gte(10)).orderBy(Tweet.id.desc()).limit(20);
 * await q;  // SELECT "tweets"."id", … FROM "tweets" WHERE ("tweets"."likes" >= $1) ORDER BY "tweets"."id" DESC LIMIT $2
 */
export class SelectQuery<R = unknown, D = Record<string, unknown>, T = unknown[], S = unknown> extends BaseQuery<R[]> implements Iterable<R>, RowSource {
  readonly #state: SelectState;
  #columns: readonly SelectedColumn[] | undefined;
  #compiled: CompiledQuery | undefined;
  #intent: ConnectionIntent | undefined;

  /** @internal Use `Model.select()`. */
  constructor(state: SelectState | SelectQuery<any, any, any>) {
    super();
    // Relation queries (back-references, many-to-many) extend a query built the usual way.
    this.#state = state instanceof SelectQuery ? state.#state : state;
  }

  /** @internal */
  static from<M extends AnyModelClass>(cls: M, selection: readonly Selectable[]): SelectQuery<InstanceType<M>> {
    const meta = cls._meta;
    return new SelectQuery<InstanceType<M>>({
      cls,
      selection,
      node: updateSelect(EMPTY_SELECT, { from: [meta.tableNode] }),
      shape: 'models',
      models: [cls],
    });
  }

  #with<X = R>(changes: Partial<SelectState>): SelectQuery<X, D, T> {
    return new SelectQuery<X, D, T>({ ...this.#state, ...changes });
  }

  #node(changes: Partial<Omit<SelectNode, 'kind'>>): SelectQuery<R, D, T, S> {
    return this.#with({ node: updateSelect(this.#state.node, changes) });
  }

  protected database(): Database {
    return this.#state.cls._meta.requireDatabase();
  }

  protected get label(): string {
    return `SelectQuery<${this.#state.cls._meta.name}>`;
  }

  get #selected(): readonly SelectedColumn[] {
    this.#columns ??= expandSelection(this.#state.selection, this.#state.cls);
    return this.#columns;
  }

  toNode(): SelectNode {
    return updateSelect(this.#state.node, { columns: nodesOf(this.#selected) });
  }

  /** The query is immutable, so it is compiled once, on first use. */
  override sql(): CompiledQuery {
    this.#compiled ??= super.sql();
    return this.#compiled;
  }

  /** Replaces the selection. @example User.select().columns(User.id) */
  columns(...selection: Selectable[]): SelectQuery<R, D, T, S> {
    return this.#with({ selection });
  }

  /**
   * Adds conditions; several arguments, and several calls, are ANDed.
   * @example User.select().where(User.age.gte(18), User.isAdmin.eq(false))
   */
  where(...conditions: ConditionOperand[]): SelectQuery<R, D, T, S> {
    let where = this.#state.node.where;
    for (const c of conditions) where = andNodes(where, c.toNode());
    return this.#node({ where });
  }

  /**
   * Joins another model. Without `on`, the condition comes from the one
   * foreign key between the new model and a model already in the query.
   * @example Tweet.select(Tweet, User).join(User) // … INNER JOIN "users" ON ("tweets"."user_id" = "users"."id")
   *
   * A model selected in part (`Post.select(Post, User.id, User.username).join(User)`) is typed with the selected
   * fields only: `post.author.passwordHash` does not compile (it would read `undefined`).
   */
  join<J extends AnyModelClass | ModelAlias<any> | DerivedTable<any>>(target: J, options: JoinOptions = {}): SelectQuery<JoinedRow<R, J, S>, D, T, S> {
    if (target instanceof DerivedTable) {
      if (!options.on && options.type !== 'cross')
        throw new TypeError(`join(${target.name}): a subquery or CTE has no foreign keys to infer from; pass { on: … }`);
      const joined = joinNode(options.type ?? 'inner', target.fromNode(), options.on?.toNode(), options.lateral);
      return this.#node({ joins: [...this.#state.node.joins, joined] }) as unknown as SelectQuery<JoinedRow<R, J, S>, D, T, S>;
    }
    return this.#with(joinModel(this.#state, target, options)) as unknown as SelectQuery<JoinedRow<R, J, S>, D, T, S>;
  }

  /** GROUP BY. @example Tweet.select(Tweet.user, fn.count(Tweet.id)).groupBy(Tweet.user) */
  groupBy(...items: Selectable[]): SelectQuery<R, D, T, S> {
    return this.#node({ groupBy: [...this.#state.node.groupBy, ...expandSelection(items, this.#state.cls).map((c) => c.node)] });
  }

  /** HAVING, ANDed like `where`. */
  having(...conditions: ConditionOperand[]): SelectQuery<R, D, T, S> {
    let having = this.#state.node.having;
    for (const c of conditions) having = andNodes(having, c.toNode());
    return this.#node({ having });
  }

  /**
   * ORDER BY; plain columns sort ascending, and an aliased expression is
   * ordered by its output name.
   * @example .orderBy(Tweet.likes.desc(), Tweet.id)
   * @example User.select(fn.count().as('n')).orderBy(fn.count().as('n')) // … ORDER BY "n" ASC
   */
  orderBy(...items: Expressible[]): SelectQuery<R, D, T, S> {
    const orderBy: OrderByNode[] = items.map((i) => (i instanceof Ordering ? i.toNode() : new Expression(outputReference(i.toNode())).asc().toNode()));
    return this.#node({ orderBy });
  }

  /** LIMIT n. */
  limit(n: number | null): SelectQuery<R, D, T, S> {
    return this.#node({ limit: n === null ? undefined : value(checkCount(n, 'limit')) });
  }

  /** OFFSET n. */
  offset(n: number | null): SelectQuery<R, D, T, S> {
    return this.#node({ offset: n === null ? undefined : value(checkCount(n, 'offset')) });
  }

  /** Page `page` (from 1) of `perPage` rows. @example .paginate(2, 20) // LIMIT $1 OFFSET $2 with [20, 20] */
  paginate(page: number, perPage = 20): SelectQuery<R, D, T, S> {
    checkCount(page - 1, 'page - 1');
    return this.limit(perPage).offset((page - 1) * perPage);
  }

  /** DISTINCT, or DISTINCT ON (...) with arguments. */
  distinct(...on: Expressible[]): SelectQuery<R, D, T, S> {
    return on.length ? this.#node({ distinctOn: on.map((o) => o.toNode()), distinct: false }) : this.#node({ distinct: true, distinctOn: undefined });
  }

  /** FOR UPDATE with optional SKIP LOCKED / NOWAIT and OF tables. */
  forUpdate(options: { skipLocked?: boolean; nowait?: boolean; of?: readonly AnyModelClass[] } = {}): SelectQuery<R, D, T, S> {
    if (options.skipLocked && options.nowait) throw new TypeError('forUpdate: choose skipLocked or nowait, not both');
    return this.#node({
      lock: lockClause('UPDATE', {
        of: options.of?.map((m) => m._meta.table),
        wait: options.skipLocked ? 'SKIP LOCKED' : options.nowait ? 'NOWAIT' : undefined,
      }),
    });
  }

  /**
   * Rows as plain objects keyed by alias, or by property name for columns,
   * typed from the selection.
   * @example await User.select(User.username, fn.count().as('n')).groupBy(User.username).dicts() // { username: string; n: number }[]
   */
  dicts(): SelectQuery<D, D, T> {
    return this.#with<D>({ shape: 'dicts' });
  }

  /** Rows as arrays in selection order, typed from the selection. @example await User.select(User.id, User.username).tuples() // [number, string][] */
  tuples(): SelectQuery<T, D, T> {
    return this.#with<T>({ shape: 'tuples' });
  }

  // ── composition: CTEs, set operations, subqueries (see cte.ts, compound-query.ts) ──

  /**
   * Adds CTEs (`WITH …`, `WITH RECURSIVE …` when one is recursive).
   * @example User.select().with(admins).where(User.id.in(admins.select(admins.c.id)))
   */
  with(...ctes: Cte<any>[]): SelectQuery<R, D, T, S> {
    const current = this.#state.node.with;
    const specs = [...(current?.ctes ?? []), ...ctes.map((c) => c.spec())];
    return this.#node({ with: { recursive: (current?.recursive ?? false) || ctes.some((c) => c.recursive), ctes: specs } });
  }

  /** `(this) UNION (other)`. @example User.select(User.username).union(Admin.select(Admin.name)) */
  union(other: RowSource): CompoundQuery<R, D, T> {
    return CompoundQuery.of(this, 'UNION', other, this);
  }
  /** `(this) UNION ALL (other)`. */
  unionAll(other: RowSource): CompoundQuery<R, D, T> {
    return CompoundQuery.of(this, 'UNION ALL', other, this);
  }
  /** `(this) INTERSECT (other)`. */
  intersect(other: RowSource): CompoundQuery<R, D, T> {
    return CompoundQuery.of(this, 'INTERSECT', other, this);
  }
  /** `(this) EXCEPT (other)`. */
  except(other: RowSource): CompoundQuery<R, D, T> {
    return CompoundQuery.of(this, 'EXCEPT', other, this);
  }

  /**
   * This query as a scalar subquery in a SELECT list, named `name`.
   * @example User.select(User.username, Tweet.select(fn.count()).where(Tweet.user.eq(User.id)).as('tweets')) // (SELECT count(*) …) AS "tweets"
   */
  as<N extends string>(name: N): AliasedExpression<unknown, N> {
    return new Expression<unknown>(this.toNode()).as(name);
  }

  /** This query as a derived table in FROM or JOIN: `(SELECT …) AS "name"(…)`; its columns are `sub.c.<key>`. */
  subquery(name: string): Subquery<D> {
    return new Subquery<D>(name, this);
  }

  /** This query as a CTE named `name`; add it with `.with(cte)` or select from it with `cte.select()`. */
  cte(name: string, options: CteOptions = {}): Cte<D> {
    return cte(name, this, options) as Cte<D>;
  }

  /** @internal */
  get sourceModel(): AnyModelClass {
    return this.#state.cls;
  }

  /** @internal */
  /** @internal A SELECT from a derived table made of this query (see `RowSource.selectFrom`). */
  selectFrom(from: Node, withClause: WithClause | undefined, selection: readonly Selectable[]): SelectQuery<any, any, any> {
    return new SelectQuery({
      cls: this.sourceModel,
      selection,
      node: updateSelect(EMPTY_SELECT, { from: [from], with: withClause }),
      shape: 'dicts',
      models: [],
    });
  }

  selectedColumns(): readonly SelectedColumn[] {
    return this.#selected;
  }

  /** Rows as model instances (the default). */
  models(): SelectQuery<InstanceType<AnyModelClass>, D, T> {
    return this.#with({ shape: 'models' });
  }

  /**
   * Loads related rows after the query, one query per level: forward
   * (`Tweet.select().prefetch(User)`), backward (`User.select().prefetch(Tweet)`),
   * nested (`.prefetch(Tweet, Like)`), through a many-to-many relation, or a
   * self-reference through an alias. A query as a level keeps its filters
   * and order for the children; a foreign key as a level names the relation
   * (`.prefetch(Message.recipient)`). Parents without children get an empty
   * list. The levels of one call form a chain; each call starts again from
   * this query's rows (docs/relations.md, "Nested levels").
   * @example await User.select().prefetch(Tweet.select().orderBy(Tweet.id)) // SELECT … FROM "users"; SELECT …, "tweets"."user_id" FROM "tweets" WHERE "tweets"."user_id" = ANY($1) ORDER BY "tweets"."id"
   */
  prefetch(...items: PrefetchItem[]): SelectQuery<R, D, T, S> {
    if (items.length === 0) return this;
    return this.#with({ prefetch: [...(this.#state.prefetch ?? []), items] });
  }

  /** Refuses a selection whose rows cannot be read in this shape (colliding dict keys, a joined model with nowhere to go). */
  #checkReadable(): void {
    const { shape, cls, links } = this.#state;
    if (shape === 'models') checkModelRead(cls, this.#selected, links);
    else if (shape === 'dicts') checkDictKeys(this.#selected);
  }

  /** The statement and its rows; the check runs when the program starts, so a refusal rejects before anything is sent. */
  *#rowsProgram(compiled?: CompiledQuery): Program<R[]> {
    this.#checkReadable();
    return this.read(yield compiled ?? this.sql());
  }

  protected program(): Program<R[]> {
    const rows = this.#rowsProgram();
    if (this.#state.prefetch?.length) return withPrefetch(rows, this.#state.prefetch);
    return rows;
  }

  /** @internal Turns a result into rows of this query's shape. */
  read(result: RawResult): R[] {
    const { shape, cls } = this.#state;
    if (shape === 'dicts') return readDicts(this.#selected, result) as R[];
    if (shape === 'tuples') return readTuples(this.#selected, result) as R[];
    return readModels(cls, this.#selected, result, this.#state.links) as R[];
  }

  /** A plain read outside a transaction may run on a read replica; a lock or a data-modifying CTE keeps it on the primary. */
  protected override intent(): ConnectionIntent {
    // Without read replicas there is nothing to route: skip the walk of the tree (the hot path of every lookup).
    if (!this.database().routesReads) return 'write';
    // The query is immutable: judged once, like its SQL.
    this.#intent ??= readIntentOf(this.toNode());
    return this.#intent;
  }

  #run<T>(program: Program<T>, method: string): Promise<T> {
    return this.database().evaluate(program, describe(method, this.label), this.intent());
  }

  #runSync<T>(program: Program<T>, method: string, alternative: string): T {
    return this.database().evaluateSync(program, describe(method, this.label, alternative), this.intent());
  }

  /** All rows. Same as `await query`. */
  all(): Promise<R[]> {
    return this.execute();
  }

  /** All rows, blocking. */
  allSync(): R[] {
    return this.#runSync(this.program(), 'allSync', 'await query');
  }

  /** Blocking evaluation by `for…of`. */
  [Symbol.iterator](): Iterator<R> {
    return this.#runSync(this.program(), 'for…of', 'for (const row of await query)')[Symbol.iterator]();
  }

  /**
   * Streams the rows over a server-side cursor, holding one batch in memory;
   * `break` closes the cursor and frees the connection. With `.prefetch(...)`,
   * each batch's relations load (one query per level, on another pooled
   * connection) before its rows are yielded; that needs a database with
   * `supportsConcurrentConnections`, outside `atomic()`.
   * @example for await (const t of Tweet.select().iterator({ batchSize: 500 })) {} // SELECT … FROM "tweets", read 500 rows per round trip
   * @example for await (const t of Tweet.select().prefetch(User).iterator({ batchSize: 500 })) {} // per batch: SELECT … FROM "users" WHERE "users"."id" = ANY($1)
   */
  iterator(options: IteratorOptions = {}): AsyncGenerator<R, void, undefined> {
    const db = this.database();
    const items = this.#state.prefetch;
    const read = (result: RawResult) => this.read(result);
    const reader = items?.length ? prefetchingReader(db, items, this.label, read) : read;
    this.#checkReadable();
    const batches = db.cursorBatches(this.sql(), batchSizeOf(options), describe('for await…of', `${this.label}.iterator()`), this.intent());
    return streamRows(batches, reader);
  }

  *#firstProgram(): Program<R | null> {
    return (yield* this.limit(1).#rowsProgram())[0] ?? null;
  }

  *#getProgram(): Program<R> {
    const limited = this.limit(1);
    const compiled = limited.sql();
    const row = (yield* limited.#rowsProgram(compiled))[0];
    if (row === undefined) {
      const Missing = (this.#state.cls as unknown as { DoesNotExist: typeof DoesNotExist }).DoesNotExist ?? DoesNotExist;
      throw new Missing(
        `${this.#state.cls._meta.name} matching the query does not exist: ${compiled.text} ${formatParamsForMessage(compiled.values)}`,
        compiled.text,
        compiled.values,
      );
    }
    return row;
  }

  /** The first row, or `null`. Adds LIMIT 1. */
  first(): Promise<R | null> {
    return this.#run(this.#firstProgram(), 'first');
  }
  /** Blocking twin of `first`. */
  firstSync(): R | null {
    return this.#runSync(this.#firstProgram(), 'firstSync', 'await query.first()');
  }

  /** The first row; throws `Model.DoesNotExist` when there is none. */
  get(): Promise<R> {
    return this.#run(this.#getProgram(), 'get');
  }
  /** Blocking twin of `get`. */
  getSync(): R {
    return this.#runSync(this.#getProgram(), 'getSync', 'await query.get()');
  }

  /** The first row, or `null` (same as `first`). */
  getOrNone(): Promise<R | null> {
    return this.first();
  }
  /** Blocking twin of `getOrNone`. */
  getOrNoneSync(): R | null {
    return this.#runSync(this.#firstProgram(), 'getOrNoneSync', 'await query.getOrNone()');
  }

  /**
   * The number of rows the query returns. A limited, distinct or grouped
   * query is wrapped in a subquery so the count is right.
   * @example await Tweet.select().where(Tweet.likes.gt(0)).count() // SELECT count(*) FROM "tweets" WHERE …
   */
  count(): Promise<number> {
    return this.#run(countProgram(this.toNode()), 'count');
  }
  /** Blocking twin of `count`. */
  countSync(): number {
    return this.#runSync(countProgram(this.toNode()), 'countSync', 'await query.count()');
  }

  #existsProgram(): Program<boolean> {
    const probe = updateSelect(this.toNode(), { columns: [value(1)], limit: value(1), orderBy: [] });
    return single(compile(probe), (result) => result.rows.length > 0);
  }

  /** Whether the query returns any row (`SELECT 1 … LIMIT 1`). */
  exists(): Promise<boolean> {
    return this.#run(this.#existsProgram(), 'exists');
  }
  /** Blocking twin of `exists`. */
  existsSync(): boolean {
    return this.#runSync(this.#existsProgram(), 'existsSync', 'await query.exists()');
  }

  #scalarProgram<T>(): Program<T | null> {
    const columns = this.#selected;
    return single(this.limit(1).sql(), (result) => {
      const cell = result.rows[0]?.[0];
      if (cell === null || cell === undefined) return null;
      const field = columns[0]?.field;
      return (field ? field.fromDb(cell) : decoderFor(result.fields[0]?.typeId ?? 25)(cell)) as T;
    });
  }

  /**
   * The first column of the first row, or `null`; typed as the first selected column or expression
   * (`unknown` for a whole model: give the type, `scalar<number>()`).
   * @example await Tweet.select(fn.max(Tweet.likes)).scalar() // SELECT max("tweets"."likes") FROM "tweets" LIMIT $1
   */
  scalar<V = ScalarOf<T>>(): Promise<V | null> {
    return this.#run(this.#scalarProgram<V>(), 'scalar');
  }
  /** Blocking twin of `scalar`. */
  scalarSync<V = ScalarOf<T>>(): V | null {
    return this.#runSync(this.#scalarProgram<V>(), 'scalarSync', 'await query.scalar()');
  }
}

/** An aliased expression in ORDER BY names its output column: `count(*) AS "n" ASC` is not SQL, `"n" ASC` is. */
function outputReference(node: Node): Node {
  return node.kind === 'alias' ? column(node.alias) : node;
}
