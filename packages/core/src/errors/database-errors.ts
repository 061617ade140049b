/** Details PostgreSQL attaches to an error; every field is optional. */
export interface DatabaseErrorDetails {
  readonly code?: string | undefined;
  readonly table?: string | undefined;
  readonly column?: string | undefined;
  readonly constraint?: string | undefined;
  readonly schema?: string | undefined;
  readonly detail?: string | undefined;
  readonly sql?: string | undefined;
  /** The statement's parameters; kept as a property, never put in the message. */
  readonly params?: readonly unknown[] | undefined;
}

/**
 * Base class of every error raised by the database. The driver's own error
 * is kept as `cause`.
 *
 * @example
 * try { await User.create({ username: 'taken' }) }
 * catch (e) { if (e instanceof UniqueViolationError) console.log(e.constraint) } // 'users_username_key'
 */
export class DatabaseError extends Error {
  override name = 'DatabaseError';
  /** SQLSTATE code, e.g. `23505`. */
  readonly code: string | undefined;
  readonly table: string | undefined;
  readonly column: string | undefined;
  readonly constraint: string | undefined;
  readonly schema: string | undefined;
  readonly detail: string | undefined;
  /** The statement that failed, when known. */
  readonly sql: string | undefined;
  /**
   * The parameters of the statement that failed, when known. A property only: they never appear in the
   * message, so logging `e.message` does not log a user's token or e-mail address.
   */
  readonly params: readonly unknown[] | undefined;

  constructor(message: string, details: DatabaseErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = details.code;
    this.table = details.table;
    this.column = details.column;
    this.constraint = details.constraint;
    this.schema = details.schema;
    this.detail = details.detail;
    this.sql = details.sql;
    // Not enumerable: util.inspect and JSON.stringify of the error leave the values out.
    Object.defineProperty(this, 'params', { value: details.params, enumerable: false, writable: false });
  }
}

/** A constraint was violated (SQLSTATE class 23). */
export class IntegrityError extends DatabaseError {
  override name = 'IntegrityError';
}
/** 23505: a unique constraint or unique index refused a duplicate. */
export class UniqueViolationError extends IntegrityError {
  override name = 'UniqueViolationError';
}
/** 23503: a foreign key points at a missing row, or a referenced row is still in use. */
export class ForeignKeyViolationError extends IntegrityError {
  override name = 'ForeignKeyViolationError';
}
/** 23502: NULL written into a NOT NULL column. */
export class NotNullViolationError extends IntegrityError {
  override name = 'NotNullViolationError';
}
/** 23514: a CHECK constraint refused the row. */
export class CheckViolationError extends IntegrityError {
  override name = 'CheckViolationError';
}
/** The connection, the server or the pool failed (classes 08, 53, 57, timeouts, a dead worker). */
export class OperationalError extends DatabaseError {
  override name = 'OperationalError';
}
/**
 * 55P03: a lock could not be taken at once (`forUpdate({ nowait: true })`, `lock_timeout`). The row or table is
 * busy; retry later or use `skipLocked`.
 *
 * @example
 * try { await Job.select().forUpdate({ nowait: true }).get() }
 * catch (e) { if (e instanceof LockNotAvailableError) return 'busy' }
 */
export class LockNotAvailableError extends OperationalError {
  override name = 'LockNotAvailableError';
}
/**
 * 57014: the server cancelled the statement: `statement_timeout`, `pg_cancel_backend()` or a client cancel.
 *
 * @example
 * try { await db.execute(sql`SELECT pg_sleep(10)`) }
 * catch (e) { if (e instanceof QueryCanceledError) console.log('took too long') }
 */
export class QueryCanceledError extends OperationalError {
  override name = 'QueryCanceledError';
}
/**
 * 57P01: the server is shutting down or an administrator terminated the session (`pg_terminate_backend()`).
 * The connection is gone; the next query opens a new one.
 *
 * @example
 * catch (e) { if (e instanceof AdminShutdownError) console.log('connection was killed') }
 */
export class AdminShutdownError extends OperationalError {
  override name = 'AdminShutdownError';
}
/** 40001 / 40P01: the transaction lost a serialization race or a deadlock; retrying it may succeed. */
export class SerializationError extends DatabaseError {
  override name = 'SerializationError';
}
/** The statement itself is wrong: syntax error, unknown table or column (class 42). */
export class ProgrammingError extends DatabaseError {
  override name = 'ProgrammingError';
}
