import { isoTimestamp } from '../types/iso-timestamp.js';
import { parseTimestamp } from '../types/text-decoders.js';
import { ConversionFailure, Field, type FieldOptions, type Nullable, type PrimaryKeyMark, type RequiredOnInsert } from './field.js';

class DateTimeFieldImpl extends Field<any, any, any> {
  readonly sqlType = 'timestamptz';
  protected convert(v: unknown): Date {
    const d = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : undefined;
    if (!d || Number.isNaN(d.getTime())) throw new ConversionFailure('expected a valid Date');
    return d;
  }
  override toDb(v: Date): string {
    return isoTimestamp(v);
  }
  fromDb(text: string): Date {
    return parseTimestamp(text);
  }
}

const DATE = /^\d{4,}-\d\d-\d\d$/;
const TIME = /^(\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,6}))?)?$/;

/** True for a real calendar day (no February 30th), whatever the year's digits. */
function isCalendarDay(text: string): boolean {
  const [y, m, d] = text.split('-').map(Number) as [number, number, number];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return days !== undefined && d >= 1 && d <= days;
}

class DateFieldImpl extends Field<any, any, any> {
  readonly sqlType = 'date';
  protected convert(v: unknown): string {
    if (v instanceof Date && !Number.isNaN(v.getTime())) return v.toISOString().slice(0, 10);
    if (typeof v !== 'string' || !DATE.test(v) || !isCalendarDay(v)) throw new ConversionFailure("expected a 'YYYY-MM-DD' string or a Date");
    return v;
  }
  fromDb(text: string): string {
    return text;
  }
}

class TimeFieldImpl extends Field<any, any, any> {
  readonly sqlType = 'time';
  /** Normalised to the server's own output (`HH:MM:SS[.f]`, no trailing zeros) so a written value equals the one read back. */
  protected convert(v: unknown): string {
    const m = typeof v === 'string' ? TIME.exec(v) : null;
    if (!m) throw new ConversionFailure("expected an 'HH:MM[:SS[.ffffff]]' string");
    const [, h, mi, s = '00', frac = ''] = m;
    const late = Number(h) > 24 || Number(mi) > 59 || Number(s) > 59;
    if (late || (Number(h) === 24 && (Number(mi) > 0 || Number(s) > 0 || /[1-9]/.test(frac))))
      throw new ConversionFailure("expected a time of day between '00:00:00' and '24:00:00'");
    const fraction = frac.replace(/0+$/, '');
    return `${h}:${mi}:${s}${fraction ? `.${fraction}` : ''}`;
  }
  fromDb(text: string): string {
    return text;
  }
}

/** `timestamptz` ↔ `Date`. @example joinedAt: DateTimeField({ default: () => new Date() }) */
export function DateTimeField<const O extends FieldOptions<Date> = {}>(
  options?: O,
): Field<Nullable<O, Date>, Nullable<O, Date | string>, RequiredOnInsert<O>> & PrimaryKeyMark<O> {
  return new DateTimeFieldImpl(options ?? {});
}

/** `date` ↔ `'YYYY-MM-DD'` (no time zone shifts). */
export function DateField<const O extends FieldOptions<string> = {}>(
  options?: O,
): Field<Nullable<O, string>, Nullable<O, string | Date>, RequiredOnInsert<O>> & PrimaryKeyMark<O> {
  return new DateFieldImpl(options ?? {});
}

/** `time` ↔ `'HH:MM:SS[.ffffff]'`; `'12:30'` is stored and returned as `'12:30:00'`. */
export function TimeField<const O extends FieldOptions<string> = {}>(
  options?: O,
): Field<Nullable<O, string>, Nullable<O, string>, RequiredOnInsert<O>> & PrimaryKeyMark<O> {
  return new TimeFieldImpl(options ?? {});
}
