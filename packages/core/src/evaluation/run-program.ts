import type { RawResult, Statement } from '../database/driver.js';

/**
 * Drives a program (see `Program`): sends each statement it yields and resumes it with the
 * result (or throws the error into it, so a program may recover). `send`
 * decides the path: when it returns results directly the whole run is
 * synchronous; when it returns promises the run continues asynchronously.
 * This is the single loop behind both `evaluate` and `evaluateSync`, and
 * (with other steps than statements) behind both `atomic` and `atomicSync`.
 */
export function runProgram<T, Step = Statement, Answer = RawResult>(
  program: Generator<Step, T, Answer>,
  first: IteratorResult<Step, T>,
  send: (step: Step) => Answer | Promise<Answer>,
): T | Promise<T> {
  let step = first;
  while (!step.done) {
    let raw: Answer | Promise<Answer>;
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
