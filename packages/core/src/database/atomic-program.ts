import { SerializationError } from '../errors/database-errors.js';
import { runProgram } from '../evaluation/run-program.js';
import type { AtomicOptions } from './atomic-options.js';

/**
 * What `atomic` needs from one path: the async one (`transaction.ts`: a
 * connection per transaction, scopes found through AsyncLocalStorage) or the
 * blocking one (`blocking-transaction.ts`: the worker's one session). Each
 * method may answer directly (the blocking path) or with a promise (async).
 */
export interface TransactionPath<Tx> {
  /** True when the caller already runs inside a transaction of this path: `open` makes a savepoint, never retried. */
  readonly nested: boolean;
  /** BEGIN (with the options) or SAVEPOINT. */
  open(options: AtomicOptions): Tx | Promise<Tx>;
  /** Runs the caller's function inside `tx`. */
  run<T>(tx: Tx, fn: () => T | Promise<T>): T | Promise<T>;
  /** COMMIT or RELEASE SAVEPOINT; throws when the transaction could not commit. */
  commit(tx: Tx): void | Promise<void>;
  /** ROLLBACK or ROLLBACK TO SAVEPOINT. */
  rollback(tx: Tx): void | Promise<void>;
  /** Waits before a retry. */
  pause(ms: number): void | Promise<void>;
}

type Step<Tx> = { readonly kind: 'open' } | { readonly kind: 'run' | 'commit' | 'rollback'; readonly tx: Tx } | { readonly kind: 'pause'; readonly ms: number };

/**
 * Runs `fn` in a transaction on `path` (a savepoint when nested): COMMIT
 * when it returns, ROLLBACK when it throws, and the error propagates. A
 * `SerializationError` re-runs the whole transaction up to `retries` times,
 * after a jittered, doubling pause. The one transaction program behind
 * `atomic` and `atomicSync`.
 *
 * @example runAtomic(path, fn, { isolationLevel: 'serializable', retries: 3 }) // BEGIN ISOLATION LEVEL SERIALIZABLE; …; COMMIT (again on 40001)
 */
export function runAtomic<Tx, T>(path: TransactionPath<Tx>, fn: () => T | Promise<T>, options: AtomicOptions): T | Promise<T> {
  const program = atomicProgram<Tx, T>(options.retries ?? 0, path.nested);
  return runProgram(program, program.next(), (step): unknown => {
    switch (step.kind) {
      case 'open':
        return path.open(options);
      case 'run':
        return path.run(step.tx, fn);
      case 'commit':
        return path.commit(step.tx);
      case 'rollback':
        return path.rollback(step.tx);
      case 'pause':
        return path.pause(step.ms);
      default:
        return step satisfies never;
    }
  });
}

function* atomicProgram<Tx, T>(retries: number, nested: boolean): Generator<Step<Tx>, T, unknown> {
  for (let attempt = 0; ; attempt++) {
    try {
      const tx = (yield { kind: 'open' }) as Tx;
      let value: T;
      try {
        value = (yield { kind: 'run', tx }) as T;
      } catch (error) {
        try {
          yield { kind: 'rollback', tx };
        } catch {
          // The caller's error is what matters; a failed ROLLBACK already made the backend discard the connection.
        }
        throw error;
      }
      yield { kind: 'commit', tx };
      return value;
    } catch (error) {
      // Only a whole transaction can be retried: a savepoint's serialization failure aborts its parent too.
      if (!(error instanceof SerializationError) || attempt >= retries || nested) throw error;
      yield { kind: 'pause', ms: 5 * 2 ** attempt * (0.5 + Math.random()) };
    }
  }
}
