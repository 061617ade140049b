import {
  CheckViolationError,
  DatabaseError,
  type DatabaseErrorDetails,
  ForeignKeyViolationError,
  IntegrityError,
  NotNullViolationError,
  OperationalError,
  ProgrammingError,
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
export function mapDatabaseError(error: unknown, sql?: string): Error {
  if (error instanceof DatabaseError) return error;
  if (!(error instanceof Error)) return new DatabaseError(String(error), { sql });
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
  };
  let Cls: ErrorClass | undefined;
  if (code !== undefined) Cls = BY_CODE[code] ?? BY_CLASS[code.slice(0, 2)];
  if (!Cls && code !== undefined && NETWORK_CODES.has(code)) Cls = OperationalError;
  if (!Cls && /connection|terminat|timeout|closed|ended/i.test(e.message) && code === undefined) Cls = OperationalError;
  return new (Cls ?? DatabaseError)(e.message, details, { cause: error });
}
