const INTEGER_RANK: Record<string, number> = { smallint: 1, integer: 2, bigint: 3 };

const length = (type: string, base: string) => {
  const m = new RegExp(`^${base}\\((\\d+)\\)$`).exec(type);
  return m ? Number(m[1]) : type === base ? Number.POSITIVE_INFINITY : undefined;
};

/**
 * Whether changing a column from type `from` to `to` keeps every value it
 * can hold: integer widening, numeric from an integer, a longer or unlimited
 * varchar, text from varchar. Anything else may fail or lose data and is
 * flagged destructive.
 * @example widens('integer', 'bigint') // true   widens('text', 'character varying(20)') // false
 */
export function widens(from: string, to: string): boolean {
  if (from === to) return true;
  const [a, b] = [INTEGER_RANK[from], INTEGER_RANK[to]];
  if (a !== undefined && b !== undefined) return a <= b;
  if (a !== undefined && to === 'numeric') return true;
  const [va, vb] = [length(from, 'character varying'), length(to, 'character varying')];
  if (va !== undefined && (to === 'text' || (vb !== undefined && va <= vb))) return true;
  return false;
}
