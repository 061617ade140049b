import { GROUPING_KINDS, oneOf } from './keywords.js';
import { freeze, type Node } from './node.js';

export type GroupingKind = (typeof GROUPING_KINDS)[number];

/**
 * `ROLLUP (…)`, `CUBE (…)` or `GROUPING SETS (…)` in GROUP BY. Each item is one
 * grouping element: a single expression, or several written as `(a, b)`; an
 * empty item is the grand total `()` (GROUPING SETS only).
 */
export interface GroupingSetNode {
  readonly kind: 'groupingSet';
  readonly type: GroupingKind;
  readonly items: readonly (readonly Node[])[];
}

/**
 * A grouping-set element of GROUP BY.
 * @example groupingSet('ROLLUP', [[column('region')], [column('city')]]) // ROLLUP ("region", "city")
 * @example groupingSet('GROUPING SETS', [[column('a'), column('b')], []]) // GROUPING SETS (("a", "b"), ())
 */
export function groupingSet(type: GroupingKind, items: readonly (readonly Node[])[]): GroupingSetNode {
  oneOf('grouping set', type, GROUPING_KINDS);
  if (items.length === 0) throw new TypeError(`${type}: pass at least one grouping element`);
  if (type !== 'GROUPING SETS' && items.some((i) => i.length === 0))
    throw new TypeError(`${type}: an empty grouping element () is only allowed in GROUPING SETS`);
  return freeze({ kind: 'groupingSet', type, items: Object.freeze(items.map((i) => Object.freeze([...i]))) });
}
