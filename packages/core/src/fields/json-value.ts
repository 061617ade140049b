/**
 * What `JSON.stringify` would silently change or throw on inside a value:
 * non-finite numbers (they become `null`), bigints, and cycles. `path` names
 * the place (`$.a[2]`); objects with `toJSON` (e.g. Date) are taken as they
 * serialise.
 */
export function jsonProblem(v: unknown, path: string, ancestors: Set<object>): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : `${v} at ${path} is not JSON (it would be stored as null)`;
  if (typeof v === 'bigint') return `the bigint at ${path} is not JSON (convert it to a string or number)`;
  if (typeof v !== 'object' || v === null) return undefined;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return undefined;
  if (ancestors.has(v)) return `the value is cyclic: ${path} refers back to an enclosing object`;
  ancestors.add(v);
  try {
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const p = jsonProblem(v[i], `${path}[${i}]`, ancestors);
        if (p) return p;
      }
    } else {
      for (const key of Object.keys(v)) {
        const p = jsonProblem(
          (v as Record<string, unknown>)[key],
          /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`,
          ancestors,
        );
        if (p) return p;
      }
    }
  } finally {
    ancestors.delete(v);
  }
  return undefined;
}
