/**
 * A value of the wrong kind was assigned or written. Raised before any SQL is
 * sent; the message names the model and the field.
 *
 * @example
 * new User({ age: 'x' }) // ValidationError: User.age: expected an integer, received "x" (string)
 */
export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly model: string,
    readonly field: string,
  ) {
    super(`${model}.${field}: ${message}`);
  }
}

/**
 * `get()` found no row. Each model has its own subclass, `User.DoesNotExist`,
 * so `catch (e) { if (e instanceof User.DoesNotExist) … }` works.
 */
export class DoesNotExist extends Error {
  override name = 'DoesNotExist';
  constructor(
    message: string,
    readonly sql?: string,
    readonly params?: readonly unknown[],
  ) {
    super(message);
  }
}

/**
 * A blocking evaluation was refused: warn mode in `throw` mode, or a blocking
 * call inside an async transaction (it would run on another connection).
 */
export class BlockingEvaluationError extends Error {
  override name = 'BlockingEvaluationError';
  constructor(
    message: string,
    readonly report?: unknown,
  ) {
    super(message);
  }
}
