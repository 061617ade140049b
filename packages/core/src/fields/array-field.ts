import { parseArrayLiteral } from '../types/text-decoders.js';
import { type AnyField, ConversionFailure, Field, type FieldOptions, type Nullable, type RequiredOnInsert } from './field.js';

class ArrayFieldImpl extends Field<any, any, any> {
  readonly sqlType: string;
  constructor(
    private readonly element: AnyField,
    options: FieldOptions<unknown[]>,
  ) {
    super(options);
    this.sqlType = `${element.sqlType}[]`;
  }
  protected convert(v: unknown): any[] {
    if (!Array.isArray(v)) throw new ConversionFailure('expected an array');
    return v.map((item, i) => {
      if ((item === null || item === undefined) && !this.element.nullable)
        throw new ConversionFailure(
          `element ${i} is null; to allow NULL elements declare the element field with { null: true }, e.g. ArrayField(IntegerField({ null: true }))`,
        );
      try {
        // NULL elements are allowed exactly when the element field is nullable, as its type says.
        return this.element.coerce(item);
      } catch (error) {
        throw new ConversionFailure(`element ${i}: ${(error as Error).message.replace(/^[^:]*: /, '')}`);
      }
    });
  }
  override toDb(v: any[]): unknown[] {
    return v.map((item) => (item === null ? null : this.element.toDb(item)));
  }
  fromDb(text: string): any[] {
    const walk = (items: unknown[]): unknown[] => items.map((x) => (Array.isArray(x) ? walk(x) : x === null ? null : this.element.fromDb(x as string)));
    return walk(parseArrayLiteral(text));
  }
}

type ValueOf<F> = F extends Field<infer T, any, any> ? T : never;

/**
 * A PostgreSQL array of another field's type. Elements may be NULL only when
 * the element field is declared `{ null: true }`.
 * @example tags: ArrayField(TextField()) // "tags" text[] NOT NULL
 * @example scores: ArrayField(IntegerField({ null: true })) // (number | null)[]
 */
export function ArrayField<F extends AnyField, const O extends FieldOptions<ValueOf<F>[]> = {}>(
  of: F,
  options?: O,
): Field<Nullable<O, ValueOf<F>[]>, Nullable<O, ValueOf<F>[]>, RequiredOnInsert<O>> {
  return new ArrayFieldImpl(of, (options ?? {}) as FieldOptions<unknown[]>);
}
