import { parseTimestamp } from '../types/text-decoders.js';
import { ConversionFailure, Field, type FieldOptions, type Nullable, type RequiredOnInsert } from './field.js';

class DateTimeFieldImpl extends Field<any, any, any> {
  readonly sqlType = 'timestamptz';
  protected convert(v: unknown): Date {
    const d = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : undefined;
    if (!d || Number.isNaN(d.getTime())) throw new ConversionFailure('expected a valid Date');
    return d;
  }
  override toDb(v: Date): string {
    return v.toISOString();
  }
  fromDb(text: string): Date {
    return parseTimestamp(text);
  }
}

const DATE = /^\d{4,}-\d\d-\d\d$/;
const TIME = /^\d\d:\d\d(:\d\d(\.\d{1,6})?)?$/;

class DateFieldImpl extends Field<any, any, any> {
  readonly sqlType = 'date';
  protected convert(v: unknown): string {
    if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString().slice(0, 10);
    if (typeof v !== 'string' || !DATE.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
      throw new ConversionFailure("expected a 'YYYY-MM-DD' string or a Date");
    return v;
  }
  fromDb(text: string): string {
    return text;
  }
}

class TimeFieldImpl extends Field<any, any, any> {
  readonly sqlType = 'time';
  protected convert(v: unknown): string {
    if (typeof v !== 'string' || !TIME.test(v)) throw new ConversionFailure("expected an 'HH:MM[:SS[.ffffff]]' string");
    return v;
  }
  fromDb(text: string): string {
    return text;
  }
}

/** `timestamptz` ↔ `Date`. @example joinedAt: DateTimeField({ default: () => new Date() }) */
export function DateTimeField<const O extends FieldOptions<Date> = {}>(options?: O): Field<Nullable<O, Date>, Nullable<O, Date | string>, RequiredOnInsert<O>> {
  return new DateTimeFieldImpl(options ?? {});
}

/** `date` ↔ `'YYYY-MM-DD'` (no time zone shifts). */
export function DateField<const O extends FieldOptions<string> = {}>(options?: O): Field<Nullable<O, string>, Nullable<O, string | Date>, RequiredOnInsert<O>> {
  return new DateFieldImpl(options ?? {});
}

/** `time` ↔ `'HH:MM:SS'`. */
export function TimeField<const O extends FieldOptions<string> = {}>(options?: O): Field<Nullable<O, string>, Nullable<O, string>, RequiredOnInsert<O>> {
  return new TimeFieldImpl(options ?? {});
}
