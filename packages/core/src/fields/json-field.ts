import { ConversionFailure, Field, type FieldOptions } from './field.js';
import { type JsonOperators, jsonOperatorMethods } from './json-operators.js';
import { jsonProblem } from './json-value.js';

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

Object.assign(JSONFieldImpl.prototype, jsonOperatorMethods);

/** A `jsonb` column: a field with the JSON operators (`@>`, `?`, `->`, `#>>`, …). */
export type JsonColumn<T, R extends boolean> = Field<T, T, R> & JsonOperators<T>;

/**
 * `jsonb`, typed by the developer. Overloads rather than an inferred options
 * type, because TypeScript cannot infer the options once `T` is given.
 * SQL NULL stands for `null`; a JSON `null` literal cannot be stored.
 * @example meta: JSONField<{ tags: string[] }>({ null: true }) // "meta" jsonb
 */
export function JSONField<T>(options: FieldOptions<T> & { readonly null: true }): JsonColumn<T | null, false>;
export function JSONField<T>(options: FieldOptions<T> & { readonly default: T | (() => T) }): JsonColumn<T, false>;
export function JSONField<T>(options?: FieldOptions<T>): JsonColumn<T, true>;
export function JSONField(options?: FieldOptions<unknown>): unknown {
  return new JSONFieldImpl(options ?? {});
}
