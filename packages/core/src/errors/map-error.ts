import {
  AdminShutdownError,
  CheckViolationError,
  DatabaseError,
  type DatabaseErrorDetails,
  ForeignKeyViolationError,
  IntegrityError,
  LockNotAvailableError,
  NotNullViolationError,
  OperationalError,
  ProgrammingError,
  QueryCanceledError,
  SerializationError,
  UniqueViolationError,
} from './database-errors.js';

type ErrorClass = new (message: string, details: DatabaseErrorDetails, options?: { cause?: unknown }) => DatabaseError;

const BY_CODE: Record<string, ErrorClass> = {
  '23505': UniqueViolationError,
  '23503': ForeignKeyViolationError,
  '23502': NotNullViolationError,
  '23514': CheckViolationError,
  '40001': SerializationError,
  '40P01': SerializationError,
  '55P03': LockNotAvailableError,
  '57014': QueryCanceledError,
  '57P01': AdminShutdownError,
};

const BY_CLASS: Record<string, ErrorClass> = {
  '23': IntegrityError,
  '42': ProgrammingError,
  '08': OperationalError,
  '53': OperationalError,
  '57': OperationalError,
  '58': OperationalError,
};

/** Node.js socket error codes that mean the connection is gone. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH']);

/**
 * Maps whatever the driver threw to pewit's error classes by SQLSTATE. The
 * driver error is read structurally (code, table, column, constraint…), so
 * core needs no driver types; it stays reachable as `cause`.
 */
export function mapDatabaseError(error: unknown, sql?: string, params?: readonly unknown[]): Error {
  if (error instanceof DatabaseError) return error;
  if (!(error instanceof Error)) return new DatabaseError(String(error), { sql, params });
  const e = error as Error & Partial<Record<'code' | 'table' | 'column' | 'constraint' | 'schema' | 'detail', string>>;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const details: DatabaseErrorDetails = {
    code,
    table: e.table,
    column: e.column,
    constraint: e.constraint,
    schema: e.schema,
    detail: e.detail,
    sql,
    params,
  };
  let Cls: ErrorClass | undefined;
  if (code !== undefined) Cls = BY_CODE[code] ?? BY_CLASS[code.slice(0, 2)];
  if (!Cls && code !== undefined && NETWORK_CODES.has(code)) Cls = OperationalError;
  // A refused TCP connect arrives from Node as an AggregateError (one per address tried) whose code may sit on its parts.
  if (!Cls && code === undefined && error instanceof AggregateError && error.errors.some(isNetworkError)) Cls = OperationalError;
  if (!Cls && /connection|terminat|timeout|closed|ended/i.test(e.message) && code === undefined) Cls = OperationalError;
  return new (Cls ?? DatabaseError)(explain(code, e.message), details, { cause: error });
}

function isNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}

// The server's words for several statements sent with parameters, which the extended protocol refuses.
const MULTIPLE_COMMANDS = /cannot insert multiple commands into a prepared statement/i;

/** PostgreSQL's message, plus what to do where the message alone does not say it. */
function explain(code: string | undefined, message: string): string {
  if (code === '42601' && MULTIPLE_COMMANDS.test(message)) {
    return (
      `${message}: a statement with parameters is sent through PostgreSQL's extended protocol, which takes exactly one statement. ` +
      'Run each statement in a separate db.execute() (inside db.atomic() to keep them together), or, for SQL without any ' +
      'parameter (a migration script), send it as one sql`…` with no interpolated values'
    );
  }
  return message;
}
