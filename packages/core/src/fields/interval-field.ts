import { ConversionFailure, Field, type FieldOptions, type Nullable, type PrimaryKeyMark, type RequiredOnInsert } from './field.js';

class IntervalFieldImpl extends Field<any, any, any> {
  readonly sqlType = 'interval';
  protected convert(v: unknown): string {
    // Any interval input the server reads ('1 day 02:00', 'P1DT2H', '-3 hours'); it parses and checks it.
    if (typeof v !== 'string' || v.trim() === '' || v.includes('\u0000'))
      throw new ConversionFailure("expected an interval as a string, e.g. '1 day 02:00:00' or 'P1DT2H'");
    return v;
  }
  fromDb(text: string): string {
    return text;
  }
}

/**
 * `interval`, as a string in the server's output (IntervalStyle `postgres` by
 * default: `'1 year 2 mons 3 days 04:05:06'`). Written as any interval input.
 * @example ttl: IntervalField({ default: '1 day' }) // "ttl" interval NOT NULL; read back as '1 day'
 */
export function IntervalField<const O extends FieldOptions<string> = {}>(
  options?: O,
): Field<Nullable<O, string>, Nullable<O, string>, RequiredOnInsert<O>> & PrimaryKeyMark<O> {
  return new IntervalFieldImpl(options ?? {});
}
