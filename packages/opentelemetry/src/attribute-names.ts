/**
 * The attribute names spans carry. The stable OpenTelemetry database conventions (`db.*`, `server.*`,
 * `error.type`) are written out rather than imported: `@opentelemetry/semantic-conventions` would be a second
 * runtime dependency for a handful of strings, and test/attribute-names.test.ts checks each against it.
 */
export const ATTR_DB_SYSTEM_NAME = 'db.system.name';
export const ATTR_DB_NAMESPACE = 'db.namespace';
export const ATTR_DB_OPERATION_NAME = 'db.operation.name';
export const ATTR_DB_QUERY_SUMMARY = 'db.query.summary';
export const ATTR_DB_QUERY_TEXT = 'db.query.text';
export const ATTR_DB_RESPONSE_STATUS_CODE = 'db.response.status_code';
export const ATTR_ERROR_TYPE = 'error.type';
export const ATTR_SERVER_ADDRESS = 'server.address';
export const ATTR_SERVER_PORT = 'server.port';
/** `db.system.name` of PostgreSQL. */
export const DB_SYSTEM_NAME_VALUE_POSTGRESQL = 'postgresql';

/** pewit's own: `async` or `blocking`, the transport that ran the statement. */
export const ATTR_PEWIT_PATH = 'pewit.path';
/** pewit's own: `primary`, or `replica:<n>` for the n-th read replica. */
export const ATTR_PEWIT_SERVER = 'pewit.server';
