import { ConversionFailure, Field, type FieldOptions } from './field.js';

/**
 * What `JSON.stringify` would silently change or throw on inside a value:
 * non-finite numbers (they become `null`), bigints, and cycles. `path` names
 * the place (`$.a[2]`); objects with `toJSON` (e.g. Date) are taken as they
 * serialise.
 */
function jsonProblem(v: unknown, path: string, ancestors: Set<object>): string | undefined {
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

class JSONFieldImpl extends Field<any, any, any> {
  readonly sqlType = 'jsonb';
  protected convert(v: unknown): any {
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw new ConversionFailure('expected a JSON value');
    if (typeof v === 'number' && !Number.isFinite(v)) throw new ConversionFailure('expected a JSON value (NaN and Infinity are not JSON)');
    const problem = jsonProblem(v, '$', new Set());
    if (problem) throw new ConversionFailure(`expected a JSON value: ${problem}`);
    return v;
  }
  /** Serialised here so arrays are sent as JSON, not as PostgreSQL arrays. */
  override toDb(v: unknown): string {
    return JSON.stringify(v);
  }
  fromDb(text: string): any {
    return JSON.parse(text);
  }
}

/**
 * `jsonb`, typed by the developer. Overloads rather than an inferred options
 * type, because TypeScript cannot infer the options once `T` is given.
 * SQL NULL stands for `null`; a JSON `null` literal cannot be stored.
 * @example meta: JSONField<{ tags: string[] }>({ null: true }) // "meta" jsonb
 */
export function JSONField<T>(options: FieldOptions<T> & { readonly null: true }): Field<T | null, T | null, false>;
export function JSONField<T>(options: FieldOptions<T> & { readonly default: T | (() => T) }): Field<T, T, false>;
export function JSONField<T>(options?: FieldOptions<T>): Field<T, T, true>;
export function JSONField(options?: FieldOptions<unknown>): unknown {
  return new JSONFieldImpl(options ?? {});
}
