import { DatabaseError, OperationalError, QueryCanceledError } from '@pewit/core';

/**
 * What a failed read on a replica says about the replica:
 * - `'down'`: the replica (or the way to it) failed: it went away, shut down, is starting up (57P03), refused the
 *   connection. Take it out of rotation and send the read elsewhere.
 * - `'primary'`: the replica is fine but cannot answer this read: it cancelled it for a recovery conflict
 *   (40001, or 40P01 for a buffer-pin deadlock; 55P03 when a lock_timeout ran out behind a replayed lock),
 *   refused it as read-only (25006: the statement writes, e.g.
 *   `nextval()`), or does not know a table, column, function, type or schema yet (42P01, 42703, 42883, 42704,
 *   3F000: a migration the replica has not replayed). Send it to the primary.
 * - `undefined`: the statement's own error (a syntax error, a statement_timeout, a bad value): the caller sees it.
 */
export type ReplicaVerdict = 'down' | 'primary' | undefined;

/** Cancelled for a recovery conflict, refused as read-only, or naming what the replica has not replayed yet: the primary can answer it. */
const PRIMARY_CAN_ANSWER = new Set(['40001', '40P01', '55P03', '25006', '42P01', '42703', '42883', '42704', '3F000']);

/**
 * Judges an error (already mapped to pewit's classes) that a read got from a
 * replica. Only reads are judged: sending one again has no effects.
 *
 * @example replicaVerdict(new AdminShutdownError('terminating connection due to administrator command', { code: '57P01' })) // 'down'
 */
export function replicaVerdict(error: Error): ReplicaVerdict {
  const code = error instanceof DatabaseError ? error.code : undefined;
  if (code !== undefined && PRIMARY_CAN_ANSWER.has(code)) return 'primary';
  // The user's statement_timeout (or a cancel) is the statement's own outcome: it would time out on the primary too.
  if (error instanceof QueryCanceledError) return undefined;
  if (error instanceof OperationalError) return 'down';
  return undefined;
}
