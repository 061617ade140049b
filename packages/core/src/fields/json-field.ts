import { ConversionFailure, Field, type FieldOptions, type Nullable, type RequiredOnInsert } from './field.js';

class JSONFieldImpl extends Field<any, any, any> {
  readonly sqlType = 'jsonb';
  protected convert(v: unknown): any {
    if (typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint') throw new ConversionFailure('expected a JSON value');
    if (typeof v === 'number' && !Number.isFinite(v)) throw new ConversionFailure('expected a JSON value (NaN and Infinity are not JSON)');
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
 * `jsonb`, typed by the developer.
 * @example meta: JSONField<{ tags: string[] }>({ null: true })
 */
export function JSONField<T, const O extends FieldOptions<T> = {}>(options?: O): Field<Nullable<O, T>, Nullable<O, T>, RequiredOnInsert<O>> {
  return new JSONFieldImpl(options ?? {});
}
