import { LockNotAvailableError, OperationalError } from '../errors/database-errors.js';

/**
 * The one rule for "can this connection be used again after `error`?", for
 * statements, cursors and transaction control alike: it cannot after an
 * `OperationalError` (the session or the network failed, the statement was
 * cancelled, the server shut the session down). `LockNotAvailableError`
 * (55P03) is the exception: the server answered and the session is fine.
 * Every other error is the server's normal answer to a statement.
 *
 * Returns the error to hand to `Driver.release` (which discards the
 * connection), or `undefined` when the connection may be reused.
 *
 * @example driver.release(connection, brokenBy(error)) // a killed session is discarded, a unique violation is not
 */
export function brokenBy(error: unknown): Error | undefined {
  return error instanceof OperationalError && !(error instanceof LockNotAvailableError) ? error : undefined;
}
