import { type Expressible, type GroupingKind, groupingSet, type Node } from '@pewit/query';

/** One grouping element: an expression, or several grouped together (`[a, b]` is `(a, b)`). */
export type GroupingElement = Expressible | readonly Expressible[];

/** A `ROLLUP`, `CUBE` or `GROUPING SETS` item for `groupBy()`. */
export class GroupingSet implements Expressible {
  readonly #node: Node;
  constructor(type: GroupingKind, items: readonly GroupingElement[]) {
    this.#node = groupingSet(
      type,
      items.map((i) => (Array.isArray(i) ? (i as readonly Expressible[]).map((e) => e.toNode()) : [(i as Expressible).toNode()])),
    );
  }
  toNode(): Node {
    return this.#node;
  }
}

/**
 * `ROLLUP (a, b)`: groups by (a, b), then (a), then the grand total. Rolled-up columns are NULL in the subtotal rows;
 * `fn.grouping(a)` tells them from real NULLs.
 * @example Sale.select(Sale.region, Sale.city, fn.sum(Sale.amount)).groupBy(rollup(Sale.region, Sale.city)) // GROUP BY ROLLUP ("sales"."region", "sales"."city")
 */
export function rollup(...items: GroupingElement[]): GroupingSet {
  return new GroupingSet('ROLLUP', items);
}

/**
 * `CUBE (a, b)`: groups by every subset of the elements.
 * @example .groupBy(cube(Sale.region, Sale.city)) // GROUP BY CUBE ("sales"."region", "sales"."city")
 */
export function cube(...items: GroupingElement[]): GroupingSet {
  return new GroupingSet('CUBE', items);
}

/**
 * `GROUPING SETS (…)`: the listed groupings; `[]` is the grand total `()`.
 * @example .groupBy(groupingSets([Sale.region], [Sale.city], [])) // GROUP BY GROUPING SETS (("sales"."region"), ("sales"."city"), ())
 */
export function groupingSets(...sets: (readonly Expressible[])[]): GroupingSet {
  return new GroupingSet('GROUPING SETS', sets);
}
