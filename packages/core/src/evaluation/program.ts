import type { RawResult, Statement } from '../database/driver.js';

/**
 * The work of one evaluation, written once for both paths: a generator that
 * yields each statement and receives its result. The async path awaits each
 * statement, the blocking path runs it synchronously; compile, conversion and
 * hydration are the same code.
 *
 * @example
 * function* count(stmt: Statement): Program<number> {
 *   const result = yield stmt;
 *   return Number(result.rows[0]?.[0]);
 * }
 */
export type Program<T> = Generator<Statement, T, RawResult>;

/** A program of exactly one statement whose result is decoded by `decode`. */
export function* single<T>(statement: Statement, decode: (result: RawResult) => T): Program<T> {
  return decode(yield statement);
}
