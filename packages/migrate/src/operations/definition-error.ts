/**
 * A migration asks for something pewit refuses before any SQL is sent: a
 * parameter in DDL, a NOT NULL column without a default on a table with rows,
 * a `down` that cannot be derived. The message names the operation.
 *
 * @example
 * // addColumn('users', 'email', { type: 'text', notNull: true }) on a table with rows:
 * // MigrationError: add column users.email: NOT NULL without a default on a table that has rows; …
 */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}
