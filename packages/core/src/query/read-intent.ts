import type { Node } from '@pewit/query';
import type { ConnectionIntent } from '../database/driver.js';

/**
 * Whether a statement is a plain read (`'read'`), which may run on a read
 * replica outside a transaction, or must run on the primary (`'write'`): it
 * writes anywhere in its tree (a data-modifying CTE, an INSERT, UPDATE or
 * DELETE as a subquery) or locks rows (`FOR UPDATE`, `FOR SHARE`, also in a
 * subquery). Parameter values are never looked into. A raw `sql` fragment
 * or a function call cannot be judged from its text; one that writes
 * (`nextval`, a volatile function) is refused by a replica as read-only
 * (25006) and sent again to the primary (`Driver.retryRead`).
 *
 * @example readIntentOf(User.select().toNode()) // 'read'
 * @example readIntentOf(User.select().forUpdate().toNode()) // 'write'
 */
export function readIntentOf(node: Node): ConnectionIntent {
  return writesOrLocks(node) ? 'write' : 'read';
}

function writesOrLocks(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(writesOrLocks);
  const kind = (value as { kind?: unknown }).kind;
  // A parameter's value is the user's data, however it is shaped: never a statement.
  if (kind === 'value') return false;
  if (kind === 'insert' || kind === 'update' || kind === 'delete') return true;
  if (kind === 'select' && (value as { lock?: unknown }).lock !== undefined) return true;
  return Object.values(value).some(writesOrLocks);
}
