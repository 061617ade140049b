import { type CompiledQuery, compile, type Expressible, type Node } from '@pewit/query';
import type { Database } from '../database/database.js';
import type { ConnectionIntent } from '../database/driver.js';
import { describe } from '../evaluation/description.js';
import type { Program } from '../evaluation/program.js';

/**
 * What every query shares: it is lazy (building sends nothing), immutable,
 * thenable (`await query` evaluates it), and has a blocking twin.
 * Queries never cache results: each evaluation runs the statement again.
 */
export abstract class BaseQuery<R> implements Expressible, Promise<R> {
  /** The SQL tree of this query. */
  abstract toNode(): Node;
  /** The work of one evaluation, shared by the async and blocking paths. */
  protected abstract program(): Program<R>;
  /** The database the query runs on. */
  protected abstract database(): Database;
  /** How reports name this query, e.g. `SelectQuery<Tweet>`. */
  protected abstract get label(): string;

  /** What evaluating it needs: `'read'` lets a plain read go to a read replica; a write stays on the primary. */
  protected intent(): ConnectionIntent {
    return 'write';
  }

  /**
   * The SQL and parameters, without executing anything.
   * @example User.select().where(User.id.eq(1)).sql() // { text: 'SELECT … WHERE ("users"."id" = $1)', values: [1] }
   */
  sql(): CompiledQuery {
    return compile(this.toNode());
  }

  /** Evaluates the query asynchronously. Same as `await query`. */
  execute(): Promise<R> {
    return this.database().evaluate(this.program(), describe('await', this.label), this.intent());
  }

  /** Evaluates the query, blocking until it is done. */
  executeSync(): R {
    return this.database().evaluateSync(this.program(), describe('executeSync', this.label, 'await query'), this.intent());
  }

  // biome-ignore lint/suspicious/noThenProperty: queries are thenable by design: `await query` evaluates it.
  then<A = R, B = never>(
    onFulfilled?: ((value: R) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    return this.execute().then(onFulfilled, onRejected);
  }

  /** Same as `.then(undefined, onRejected)`. */
  catch<B = never>(onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): Promise<R | B> {
    return this.execute().catch(onRejected);
  }

  /** Same as `.execute().finally(onFinally)`; with `then` and `catch` it makes a query usable where a `Promise` is expected. */
  finally(onFinally?: (() => void) | null): Promise<R> {
    return this.execute().finally(onFinally);
  }

  /** `Object.prototype.toString` names the query's class (and makes the query a `Promise` to TypeScript). */
  get [Symbol.toStringTag](): string {
    return this.constructor.name;
  }
}
