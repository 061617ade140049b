import { ConversionFailure, Field, type FieldOptions, type Nullable, type PrimaryKeyMark, type RequiredOnInsert } from './field.js';

class BooleanFieldImpl extends Field<any, any, any> {
  readonly sqlType = 'boolean';
  protected convert(v: unknown): boolean {
    if (typeof v !== 'boolean') throw new ConversionFailure('expected true or false');
    return v;
  }
  fromDb(text: string): boolean {
    return text === 't';
  }
}

/** `boolean`. @example isAdmin: BooleanField({ default: false }) */
export function BooleanField<const O extends FieldOptions<boolean> = {}>(
  options?: O,
): Field<Nullable<O, boolean>, Nullable<O, boolean>, RequiredOnInsert<O>> & PrimaryKeyMark<O> {
  return new BooleanFieldImpl(options ?? {});
}
