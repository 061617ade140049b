import { alias, type CompoundSelectNode, compile, EMPTY_SELECT, fn, type SelectNode, star, updateSelect } from '@pewit/query';
import { type Program, single } from '../evaluation/program.js';

/** Whether counting a SELECT by swapping its columns for `count(*)` would count something else than its rows. */
const changesRows = (node: SelectNode) => node.limit || node.offset || node.distinct || node.distinctOn?.length || node.groupBy.length || node.lock;

/**
 * The program of `count()`: `SELECT count(*) …` over the query's own FROM
 * and WHERE when that counts its rows, else over the query as a subquery
 * (`FROM (…) AS "_wrapped"`): a limited, distinct, grouped or locked select,
 * and every set operation. A subquery cannot lock rows, so its lock is dropped.
 */
export function countProgram(node: SelectNode | CompoundSelectNode): Program<number> {
  const countAll = fn('count', [star()]);
  const counted =
    node.kind === 'select' && !changesRows(node)
      ? updateSelect(node, { columns: [countAll], orderBy: [] })
      : updateSelect(EMPTY_SELECT, { columns: [countAll], from: [alias(node.kind === 'select' ? updateSelect(node, { lock: undefined }) : node, '_wrapped')] });
  return single(compile(counted), (result) => Number(result.rows[0]?.[0] ?? 0));
}

/** A LIMIT, OFFSET or page number checked before it becomes a parameter: a non-negative safe integer. */
export function checkCount(n: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new TypeError(`${what} must be a non-negative integer, received ${String(n)}`);
  return n;
}
