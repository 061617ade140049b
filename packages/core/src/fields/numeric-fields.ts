import type { FloatBrand } from '../expressions/functions.js';
import { ConversionFailure, Field, type FieldOptions, type Nullable, type PrimaryKeyBrand, type PrimaryKeyMark, type RequiredOnInsert } from './field.js';

const INT_RANGE = { smallint: 32767, integer: 2147483647 } as const;
const INT8_MAX = 2n ** 63n - 1n;

class IntegerFieldImpl extends Field<any, any, any> {
  constructor(
    readonly sqlType: 'integer' | 'smallint' | 'serial',
    options: FieldOptions<number>,
  ) {
    super(options);
  }
  override get generated(): boolean {
    return this.sqlType === 'serial' || super.generated;
  }
  protected convert(v: unknown): number {
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n)) throw new ConversionFailure('expected an integer');
    const max = this.sqlType === 'smallint' ? INT_RANGE.smallint : INT_RANGE.integer;
    if (n > max || n < -max - 1) throw new ConversionFailure(`expected an integer between ${-max - 1} and ${max}`);
    return n;
  }
  fromDb(text: string): number {
    return Number.parseInt(text, 10);
  }
}

class BigIntegerFieldImpl extends Field<any, any, any> {
  constructor(
    readonly sqlType: 'bigint' | 'bigserial',
    options: FieldOptions<bigint>,
  ) {
    super(options);
  }
  override get generated(): boolean {
    return this.sqlType === 'bigserial' || super.generated;
  }
  protected convert(v: unknown): bigint {
    const n =
      typeof v === 'bigint'
        ? v
        : typeof v === 'number' && Number.isSafeInteger(v)
          ? BigInt(v)
          : typeof v === 'string' && /^-?\d+$/.test(v)
            ? BigInt(v)
            : undefined;
    if (n === undefined) throw new ConversionFailure('expected a bigint (or a safe integer number)');
    if (n > INT8_MAX || n < -INT8_MAX - 1n) throw new ConversionFailure(`expected a bigint between ${-INT8_MAX - 1n} and ${INT8_MAX}`);
    return n;
  }
  override toDb(v: bigint): string {
    return v.toString();
  }
  fromDb(text: string): bigint {
    return BigInt(text);
  }
}

class FloatFieldImpl extends Field<any, any, any> {
  readonly sqlType = 'double precision';
  protected convert(v: unknown): number {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new ConversionFailure('expected a finite number');
    return v;
  }
  /** The driver sends `String(-0)`, which is `'0'`: keep the sign. */
  override toDb(v: number): number | string {
    return Object.is(v, -0) ? '-0' : v;
  }
  fromDb(text: string): number {
    return Number(text);
  }
}

const DECIMAL = /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * Whether a decimal text fits `numeric(p, s)`: the server rounds it to `s`
 * places (half away from zero) and refuses it when the result needs more
 * than `p` digits in all. Exact, with bigints; no float arithmetic.
 */
export function fitsNumeric(text: string, precision: number, scale: number): boolean {
  const m = /^(-?)(\d*)\.?(\d*)(?:e([+-]?\d+))?$/i.exec(text);
  if (!m) return false;
  const digits = `${m[2]}${m[3]}`.replace(/^0+/, '');
  if (digits === '') return true;
  const exponent = Number(m[4] ?? 0) - (m[3] as string).length; // value = digits × 10^exponent
  // Digits before the point, before rounding; far beyond the limit needs no bigint arithmetic.
  const integerDigits = digits.length + exponent;
  if (integerDigits > precision - scale + 1) return false;
  if (integerDigits < -scale - 1) return true; // rounds to zero
  const shift = exponent + scale;
  let scaled: bigint;
  if (shift >= 0) scaled = BigInt(digits) * 10n ** BigInt(shift);
  else {
    const divisor = 10n ** BigInt(-shift);
    const n = BigInt(digits);
    scaled = n / divisor + ((n % divisor) * 2n >= divisor ? 1n : 0n);
  }
  return scaled < 10n ** BigInt(precision);
}

class DecimalFieldImpl extends Field<any, any, any> {
  readonly sqlType: string;
  constructor(readonly decimalOptions: DecimalOptions) {
    super(decimalOptions);
    const { maxDigits, decimalPlaces } = decimalOptions;
    this.sqlType = maxDigits === undefined ? 'numeric' : `numeric(${Math.trunc(maxDigits)}, ${Math.trunc(decimalPlaces ?? 0)})`;
  }
  protected convert(v: unknown): string {
    const text = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'bigint' ? v.toString() : typeof v === 'string' ? v.trim() : undefined;
    if (text === undefined || !DECIMAL.test(text)) throw new ConversionFailure('expected a decimal number as a string (e.g. "12.50") or a finite number');
    const { maxDigits, decimalPlaces } = this.decimalOptions;
    if (maxDigits !== undefined && !fitsNumeric(text, Math.trunc(maxDigits), Math.trunc(decimalPlaces ?? 0))) {
      const places = Math.trunc(decimalPlaces ?? 0);
      throw new ConversionFailure(
        `expected at most ${Math.trunc(maxDigits) - places} digit(s) before the decimal point (numeric(${Math.trunc(maxDigits)}, ${places}), after rounding to ${places} place(s))`,
      );
    }
    return text;
  }
  fromDb(text: string): string {
    return text;
  }
}

type IntOptions = FieldOptions<number>;
type BigOptions = FieldOptions<bigint>;
export interface DecimalOptions extends FieldOptions<string> {
  readonly maxDigits?: number;
  readonly decimalPlaces?: number;
}

/**
 * `serial` primary key filled in by the server.
 * @example id: AutoField() // "id" serial PRIMARY KEY
 */
export function AutoField(options: Omit<IntOptions, 'null' | 'default'> = {}): Field<number, number, false> & PrimaryKeyBrand {
  return new IntegerFieldImpl('serial', { primaryKey: true, ...options });
}

/** `bigserial` primary key; values are `bigint`. */
export function BigAutoField(options: Omit<BigOptions, 'null' | 'default'> = {}): Field<bigint, bigint | number, false> & PrimaryKeyBrand {
  return new BigIntegerFieldImpl('bigserial', { primaryKey: true, ...options });
}

/** `integer` (32-bit). @example likes: IntegerField({ default: 0 }) */
export function IntegerField<const O extends IntOptions = {}>(
  options?: O,
): Field<Nullable<O, number>, Nullable<O, number>, RequiredOnInsert<O>> & PrimaryKeyMark<O> {
  return new IntegerFieldImpl('integer', options ?? {});
}

/** `smallint` (16-bit). */
export function SmallIntegerField<const O extends IntOptions = {}>(
  options?: O,
): Field<Nullable<O, number>, Nullable<O, number>, RequiredOnInsert<O>> & PrimaryKeyMark<O> {
  return new IntegerFieldImpl('smallint', options ?? {});
}

/** `bigint`; values are JavaScript `bigint`, exact beyond 2^53. */
export function BigIntegerField<const O extends BigOptions = {}>(
  options?: O,
): Field<Nullable<O, bigint>, Nullable<O, bigint | number>, RequiredOnInsert<O>> & PrimaryKeyMark<O> {
  return new BigIntegerFieldImpl('bigint', options ?? {});
}

/** `double precision`. */
export function FloatField<const O extends FieldOptions<number> = {}>(
  options?: O,
): Field<Nullable<O, number>, Nullable<O, number>, RequiredOnInsert<O>> & PrimaryKeyMark<O> & FloatBrand {
  return new FloatFieldImpl(options ?? {});
}

/**
 * `numeric(maxDigits, decimalPlaces)`; values are exact decimal strings.
 * @example price: DecimalField({ maxDigits: 10, decimalPlaces: 2 }) // "price" numeric(10, 2)
 */
export function DecimalField<const O extends DecimalOptions = {}>(
  options?: O,
): Field<Nullable<O, string>, Nullable<O, string | number>, RequiredOnInsert<O>> & PrimaryKeyMark<O> {
  return new DecimalFieldImpl(options ?? {});
}
