import type { RawResult, Statement } from '../database/driver.js';
import type { Program } from './program.js';

/**
 * Drives a program: sends each statement it yields and resumes it with the
 * result (or throws the error into it, so a program may recover). `send`
 * decides the path: when it returns results directly the whole run is
 * synchronous; when it returns promises the run continues asynchronously.
 * This is the single loop behind both `evaluate` and `evaluateSync`.
 */
export function runProgram<T>(
  program: Program<T>,
  first: IteratorResult<Statement, T>,
  send: (statement: Statement) => RawResult | Promise<RawResult>,
): T | Promise<T> {
  let step = first;
  while (!step.done) {
    let raw: RawResult | Promise<RawResult>;
    try {
      raw = send(step.value);
    } catch (error) {
      step = program.throw(error);
      continue;
    }
    if (raw instanceof Promise) {
      return raw.then(
        (result) => runProgram(program, program.next(result), send),
        (error: unknown) => runProgram(program, program.throw(error), send),
      );
    }
    step = program.next(raw);
  }
  return step.value;
}
