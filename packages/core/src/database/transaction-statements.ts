import { DatabaseError } from '../errors/database-errors.js';
import { runProgram } from '../evaluation/run-program.js';
import { type AtomicOptions, beginStatement } from './atomic-options.js';
import type { RawResult } from './driver.js';

/**
 * The control statements of one transaction or savepoint, written once for
 * both paths: each path sends them with its own transport (the async
 * transaction's connection, or the blocking connection).
 */

/** A sequence of control statements; the path answers each with its result. */
type Control<T> = Generator<string, T, RawResult>;

/** BEGIN with the options' isolation level and access mode, or SAVEPOINT when nested (a savepoint takes no options). */
export function openStatement(options: AtomicOptions, savepoint: string | undefined): string {
  return savepoint === undefined ? beginStatement(options) : `SAVEPOINT ${savepoint}`;
}

/** ROLLBACK, or ROLLBACK TO SAVEPOINT. */
export function* rollbackControl(savepoint: string | undefined): Control<void> {
  yield savepoint === undefined ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}`;
}

/**
 * COMMIT (or RELEASE SAVEPOINT). Returns `'rolled back'` when PostgreSQL
 * turned the COMMIT into a ROLLBACK (a statement inside failed and its error
 * was caught). A savepoint whose RELEASE fails is rolled back to, so the
 * outer transaction stays usable, and the error stands.
 */
export function* commitControl(savepoint: string | undefined): Control<'committed' | 'rolled back'> {
  if (savepoint === undefined) return (yield 'COMMIT').command === 'ROLLBACK' ? 'rolled back' : 'committed';
  try {
    yield `RELEASE SAVEPOINT ${savepoint}`;
  } catch (error) {
    try {
      yield* rollbackControl(savepoint);
    } catch {
      // The RELEASE's error says more.
    }
    throw error;
  }
  return 'committed';
}

/** Sends a control sequence with `send` (sync or async, as `runProgram`). */
export function sendControl<T>(control: Control<T>, send: (text: string) => RawResult | Promise<RawResult>): T | Promise<T> {
  return runProgram(control, control.next(), send);
}

/** The error of a COMMIT that PostgreSQL turned into ROLLBACK. */
export function committedAsRollback(): DatabaseError {
  return new DatabaseError(
    'COMMIT was turned into ROLLBACK by PostgreSQL: a statement inside the transaction failed and its error was caught, so nothing was saved. ' +
      'Wrap the statement that may fail in a nested db.atomic() so that only it is undone.',
    // The server sends no error here, only the ROLLBACK tag: 25P02 (in_failed_sql_transaction) is the state it was in.
    { sql: 'COMMIT', code: '25P02' },
  );
}
