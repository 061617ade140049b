import type { WithClause } from './cte.js';
import type { JoinNode } from './join.js';
import { LOCK_STRENGTHS, LOCK_WAITS, oneOf } from './keywords.js';
import { freeze, type Node } from './node.js';
import type { OrderByNode } from './order-by.js';

/** `FOR UPDATE [OF …] [SKIP LOCKED | NOWAIT]` and its weaker siblings. */
export interface LockClause {
  readonly strength: 'UPDATE' | 'NO KEY UPDATE' | 'SHARE' | 'KEY SHARE';
  readonly of?: readonly string[] | undefined;
  readonly wait?: 'SKIP LOCKED' | 'NOWAIT' | undefined;
}

/** A SELECT statement. Absent parts are omitted from the SQL. */
export interface SelectNode {
  readonly kind: 'select';
  readonly with?: WithClause | undefined;
  readonly distinct?: boolean | undefined;
  readonly distinctOn?: readonly Node[] | undefined;
  readonly columns: readonly Node[];
  readonly from: readonly Node[];
  readonly joins: readonly JoinNode[];
  readonly where?: Node | undefined;
  readonly groupBy: readonly Node[];
  readonly having?: Node | undefined;
  readonly orderBy: readonly OrderByNode[];
  readonly limit?: Node | undefined;
  readonly offset?: Node | undefined;
  readonly lock?: LockClause | undefined;
}

/**
 * A locking clause; strength and wait policy are checked against their lists.
 * @example lockClause('UPDATE', { wait: 'SKIP LOCKED' }) // FOR UPDATE SKIP LOCKED
 */
export function lockClause(strength: LockClause['strength'], options: { of?: readonly string[] | undefined; wait?: LockClause['wait'] } = {}): LockClause {
  return Object.freeze({
    strength: oneOf('lock strength', strength, LOCK_STRENGTHS),
    of: options.of === undefined ? undefined : Object.freeze([...options.of]),
    wait: options.wait === undefined ? undefined : oneOf('lock wait', options.wait, LOCK_WAITS),
  });
}

/**
 * A SELECT statement from its parts; absent lists are empty.
 * @example selectStatement({ columns: [column('id')], from: [table('users')] }) // SELECT "id" FROM "users"
 */
export function selectStatement(parts: Partial<Omit<SelectNode, 'kind'>>): SelectNode {
  return updateSelect(EMPTY_SELECT, parts);
}

export const EMPTY_SELECT: SelectNode = freeze({ kind: 'select', columns: [], from: [], joins: [], groupBy: [], orderBy: [] });

/** Returns a copy of `node` with `changes` applied. */
export function updateSelect(node: SelectNode, changes: Partial<Omit<SelectNode, 'kind'>>): SelectNode {
  return freeze({ ...node, ...changes });
}
