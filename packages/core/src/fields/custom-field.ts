import { checkSqlType } from '../types/type-name.js';
import { ConversionFailure, Field, type FieldOptions } from './field.js';

/** What a custom field sends as a parameter: usually the type's text form. */
export type DatabaseParameter = string | number | bigint | boolean | Uint8Array;

/** How a type pewit does not ship maps to TypeScript. */
export interface CustomFieldSpec<T> extends FieldOptions<T> {
  /**
   * The column's type in DDL and in casts: `'vector(3)'`, `'geometry(Point, 4326)'`,
   * `'app.my_domain'`, `'"My Type"'`. Checked against a closed pattern of type names.
   */
  readonly sqlType: string;
  /** The value as a parameter (for most types its text form, e.g. `[1,2,3]` for pgvector). A thrown error becomes a ValidationError. */
  readonly toDatabase: (value: T) => DatabaseParameter;
  /** The server's text form back into the value. */
  readonly fromDatabase: (text: string) => T;
  /**
   * Optional check of a value written or compared: return undefined when it is
   * fine, or what was expected (`'expected 3 numbers'`): that becomes the
   * ValidationError's message, before any SQL is sent.
   */
  readonly validate?: (value: unknown) => string | undefined;
}

class CustomFieldImpl extends Field<any, any, any> {
  readonly sqlType: string;
  constructor(private readonly spec: CustomFieldSpec<unknown>) {
    super(spec);
    if (typeof spec.toDatabase !== 'function' || typeof spec.fromDatabase !== 'function')
      throw new TypeError('customField: pass toDatabase(value) and fromDatabase(text), the conversions both ways');
    this.sqlType = checkSqlType(String(spec.sqlType), 'customField');
  }
  protected convert(v: unknown): unknown {
    const problem = this.spec.validate?.(v);
    if (problem !== undefined) throw new ConversionFailure(problem);
    return v;
  }
  override toDb(v: unknown): DatabaseParameter {
    try {
      return this.spec.toDatabase(v);
    } catch (error) {
      const e = this.invalid(`toDatabase refused the value: ${(error as Error).message ?? String(error)}`);
      (e as { cause?: unknown }).cause = error;
      throw e;
    }
  }
  fromDb(text: string): unknown {
    return this.spec.fromDatabase(text);
  }
}

/**
 * A column of any PostgreSQL type pewit does not ship (pgvector, PostGIS, a
 * composite type, a domain): its SQL type and the conversions both ways. It
 * gets the same validation (`null`, required, `validate`), DDL, `bulkUpdate`
 * casts (`$n::vector(3)`) and blocking-path support as the built-in fields.
 * Overloads, as for JSONField: TypeScript cannot infer the options once `T` is given.
 *
 * @example
 * const Vector = (dims: number) => customField<number[]>({
 *   sqlType: `vector(${dims})`,
 *   toDatabase: (v) => `[${v.join(',')}]`,
 *   fromDatabase: (text) => JSON.parse(text),
 * });
 * embedding: Vector(3) // "embedding" vector(3) NOT NULL
 */
export function customField<T>(spec: CustomFieldSpec<T> & { readonly null: true }): Field<T | null, T | null, false>;
export function customField<T>(spec: CustomFieldSpec<T> & { readonly default: T | (() => T) }): Field<T, T, false>;
export function customField<T>(spec: CustomFieldSpec<T>): Field<T, T, true>;
export function customField(spec: CustomFieldSpec<unknown>): unknown {
  return new CustomFieldImpl(spec);
}
