import {
  binary,
  cast,
  column,
  compile,
  deleteStatement,
  type Expressible,
  insertStatement,
  logical,
  type Node,
  onConflictClause,
  raw,
  updateSelect,
  value,
} from '@pewit/query';
import { describe } from '../evaluation/description.js';
import type { Program } from '../evaluation/program.js';
import type { ManyToManySide, ThroughLinks } from '../links/many-to-many.js';
import type { ModelMeta } from '../meta/model-meta.js';
import { RELATED, VALUES } from '../meta/symbols.js';
import type { Model } from '../model/model.js';
import type { AnyModelClass } from '../model/types.js';
import { insertRows } from '../query/assignments.js';
import { SelectQuery } from '../query/select-query.js';

type Slots = { [VALUES]: Record<string, unknown>; [RELATED]: Record<string, unknown> };

/**
 * What `add`, `remove` and `set` accept: instances of the related model `R`, their keys (`K`, the type of its
 * primary key), one of them, or a query of the related model.
 */
export type ManyToManyItems<R, K = string | number | bigint> = R | K | readonly (R | K)[] | SelectQuery<R>;

const node = (n: Node): Expressible => ({ toNode: () => n });

function nearKey(instance: Model, side: ManyToManySide, links: ThroughLinks): unknown {
  const key = (instance as unknown as Slots)[VALUES][links.near.targetField.name];
  if (key === null || key === undefined) {
    const meta = (instance.constructor as AnyModelClass)._meta;
    throw new Error(`${meta.name}.${side.name}: this ${meta.name} has no ${links.near.targetField.name} yet; save it first`);
  }
  return links.near.toParam(key);
}

/** `"through"."far_id" IN (SELECT "far"."id" FROM … the query …)`, or `= ANY($n)` of the given keys. */
function farCondition(links: ThroughLinks, items: ManyToManyItems<unknown>): Node | undefined {
  if (items instanceof SelectQuery) {
    const sub = updateSelect(items.toNode(), { columns: [links.far.targetField.toNode()], orderBy: [] });
    return binary(links.far.toNode(), 'IN', sub);
  }
  const keys = farKeys(links, items);
  return keys.length ? raw(['', ' = ANY(', ')'], [links.far.toNode(), value(keys)]) : undefined;
}

function farKeys(links: ThroughLinks, items: ManyToManyItems<unknown>): unknown[] {
  const list = Array.isArray(items) ? items : [items];
  return [...new Set(list.map((item) => links.far.toParam(item)))];
}

function* clearProgram(instance: Model, side: ManyToManySide): Program<number> {
  const links = side.links();
  const meta = links.through._meta;
  const where = binary(links.near.toNode(), '=', value(nearKey(instance, side, links)));
  const result = yield compile(deleteStatement({ table: meta.tableNode, where }));
  forget(instance, side);
  return result.rowCount ?? 0;
}

/** Options of a many-to-many `add()`. */
export interface ManyToManyAddOptions {
  /**
   * Skip pairs that are already linked instead of failing with `UniqueViolationError`
   * (`ON CONFLICT ("near_id", "far_id") DO NOTHING`); `add()` then resolves to the pairs actually added.
   */
  readonly ignoreExisting?: boolean;
}

function* addProgram(instance: Model, side: ManyToManySide, items: ManyToManyItems<unknown>, options: ManyToManyAddOptions = {}): Program<number> {
  const links = side.links();
  const meta: ModelMeta = links.through._meta;
  const key = nearKey(instance, side, links);
  if (typeof options !== 'object' || options === null) throw new TypeError(`${side.near.name}.${side.name}.add(): options must be an object`);
  for (const k of Object.keys(options))
    if (k !== 'ignoreExisting') throw new TypeError(`${side.near.name}.${side.name}.add(): unknown option ${JSON.stringify(k)}; the option is ignoreExisting`);
  // The pair is the through table's unique key, so only a duplicate pair is skipped; another unique violation still fails.
  const onConflict =
    options.ignoreExisting === true
      ? onConflictClause({ target: [column(links.near.columnName), column(links.far.columnName)], action: 'nothing' })
      : undefined;
  forget(instance, side);
  if (items instanceof SelectQuery) {
    // The near key is a parameter in a SELECT list: cast it to the column's own type (an enum key, not its base type) so PostgreSQL knows it.
    const source = updateSelect(items.toNode(), { columns: [cast(value(key), links.near.castType), links.far.targetField.toNode()], orderBy: [] });
    const result = yield compile(
      insertStatement({ table: meta.tableNode, columns: [links.near.columnName, links.far.columnName], values: source, onConflict }),
    );
    return result.rowCount ?? 0;
  }
  const keys = farKeys(links, items);
  if (keys.length === 0) return 0;
  const { columns, values } = insertRows(
    meta,
    keys.map((k) => ({ [links.near.name]: key, [links.far.name]: k })),
  );
  const result = yield compile(insertStatement({ table: meta.tableNode, columns, values, onConflict }));
  return result.rowCount ?? 0;
}

function* removeProgram(instance: Model, side: ManyToManySide, items: ManyToManyItems<unknown>): Program<number> {
  const links = side.links();
  const meta = links.through._meta;
  const key = nearKey(instance, side, links);
  forget(instance, side);
  const far = farCondition(links, items);
  if (!far) return 0;
  const where = logical('AND', [binary(links.near.toNode(), '=', value(key)), far]);
  const result = yield compile(deleteStatement({ table: meta.tableNode, where }));
  return result.rowCount ?? 0;
}

function* setProgram(instance: Model, side: ManyToManySide, items: ManyToManyItems<unknown>): Program<number> {
  yield* clearProgram(instance, side);
  return yield* addProgram(instance, side, items);
}

/** Loaded rows go stale once the relation changes: the next read queries again. */
function forget(instance: Model, side: ManyToManySide): void {
  delete (instance as unknown as Slots)[RELATED][side.name];
}

/**
 * The rows related to `instance` through the join model, as a lazy query:
 * `SELECT far.* FROM far INNER JOIN through ON through.far_id = far.id WHERE through.near_id = $1`.
 */
export function relatedQuery(instance: Model, side: ManyToManySide): SelectQuery<Model> {
  const links = side.links();
  const far = side.far() as AnyModelClass & { select(): SelectQuery<Model> };
  const on = node(binary(links.far.toNode(), '=', links.far.targetField.toNode()));
  return far
    .select()
    .join(links.through, { on })
    .where(node(binary(links.near.toNode(), '=', value(nearKey(instance, side, links)))));
}

/**
 * `student.courses`: a lazy query of the related rows (awaitable, chainable,
 * iterable) that also changes the relation. When the relation was prefetched
 * it holds the loaded rows and reading it runs no query.
 *
 * @example
 * await student.courses.add([math, 7])  // INSERT INTO "students_courses_through" ("student_id", "course_id") VALUES ($1, $2), ($3, $4)
 * await student.courses.remove(math)    // DELETE FROM "students_courses_through" WHERE ("student_id" = $1 AND "course_id" = ANY($2))
 * await student.courses.set([art])      // DELETE …; INSERT …
 * await student.courses.clear()         // DELETE FROM "students_courses_through" WHERE "student_id" = $1
 */
export class ManyToManyQuery<R, K = string | number | bigint> extends SelectQuery<R> {
  readonly #instance: Model;
  readonly #side: ManyToManySide;
  readonly #rows: readonly R[] | undefined;

  /** @internal */
  constructor(instance: Model, side: ManyToManySide, rows?: readonly R[]) {
    super(relatedQuery(instance, side) as never);
    this.#instance = instance;
    this.#side = side;
    this.#rows = rows;
  }

  override execute(): Promise<R[]> {
    return this.#rows ? Promise.resolve([...this.#rows]) : super.execute();
  }
  override allSync(): R[] {
    return this.#rows ? [...this.#rows] : super.allSync();
  }
  override [Symbol.iterator](): Iterator<R> {
    return this.#rows ? [...this.#rows][Symbol.iterator]() : super[Symbol.iterator]();
  }

  #run(program: Program<number>, method: string): Promise<number> {
    return this.#db().evaluate(program, describe('await', `${this.#side.near.name}.${this.#side.name}.${method}()`));
  }
  #runSync(program: Program<number>, method: string): number {
    const label = `${this.#side.near.name}.${this.#side.name}`;
    return this.#db().evaluateSync(program, describe(`${method}Sync`, `${label}.${method}Sync()`, `await ${label}.${method}(…)`));
  }
  #db() {
    return this.#side.links().through._meta.requireDatabase();
  }

  /**
   * Links the given rows (instances, keys, or a query of them); resolves to the rows added. Adding a pair that
   * exists is a UniqueViolationError, unless `{ ignoreExisting: true }` skips it.
   * @example await student.courses.add([math, art], { ignoreExisting: true }) // INSERT … ON CONFLICT ("student_id", "course_id") DO NOTHING
   */
  add(items: ManyToManyItems<R, K>, options?: ManyToManyAddOptions): Promise<number> {
    return this.#run(addProgram(this.#instance, this.#side, items, options), 'add');
  }
  /** Blocking twin of `add`. */
  addSync(items: ManyToManyItems<R, K>, options?: ManyToManyAddOptions): number {
    return this.#runSync(addProgram(this.#instance, this.#side, items, options), 'add');
  }
  /** Unlinks the given rows; resolves to the links removed (0 for pairs that were not linked: not an error). */
  remove(items: ManyToManyItems<R, K>): Promise<number> {
    return this.#run(removeProgram(this.#instance, this.#side, items), 'remove');
  }
  /** Blocking twin of `remove`. */
  removeSync(items: ManyToManyItems<R, K>): number {
    return this.#runSync(removeProgram(this.#instance, this.#side, items), 'remove');
  }
  /** Unlinks every row. */
  clear(): Promise<number> {
    return this.#run(clearProgram(this.#instance, this.#side), 'clear');
  }
  /** Blocking twin of `clear`. */
  clearSync(): number {
    return this.#runSync(clearProgram(this.#instance, this.#side), 'clear');
  }
  /** Replaces the related rows with the given ones (clear, then add: two statements). */
  set(items: ManyToManyItems<R, K>): Promise<number> {
    return this.#run(setProgram(this.#instance, this.#side, items), 'set');
  }
  /** Blocking twin of `set`. */
  setSync(items: ManyToManyItems<R, K>): number {
    return this.#runSync(setProgram(this.#instance, this.#side, items), 'set');
  }
}
