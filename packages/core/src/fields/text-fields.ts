import { ConversionFailure, Field, type FieldOptions, type Nullable, type PrimaryKeyMark, type RequiredOnInsert } from './field.js';

class TextFieldImpl extends Field<any, any, any> {
  constructor(
    readonly sqlType: string,
    options: FieldOptions<string>,
    private readonly maxLength?: number,
  ) {
    super(options);
  }
  protected convert(v: unknown): string {
    if (typeof v !== 'string') throw new ConversionFailure('expected a string');
    if (v.includes('\u0000')) throw new ConversionFailure('text cannot contain NUL characters');
    if (this.maxLength !== undefined && [...v].length > this.maxLength)
      throw new ConversionFailure(`expected at most ${this.maxLength} characters (this one has ${[...v].length})`);
    return v;
  }
  fromDb(text: string): string {
    return text;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class UUIDFieldImpl extends Field<any, any, any> {
  readonly sqlType = 'uuid';
  protected convert(v: unknown): string {
    if (typeof v !== 'string' || !UUID.test(v)) throw new ConversionFailure('expected a UUID string');
    return v.toLowerCase();
  }
  fromDb(text: string): string {
    return text;
  }
}

export interface CharOptions extends FieldOptions<string> {
  /** Maximum length in characters; default 255. */
  readonly maxLength?: number;
}

/** `text`. @example content: TextField() // "content" text NOT NULL */
export function TextField<const O extends FieldOptions<string> = {}>(
  options?: O,
): Field<Nullable<O, string>, Nullable<O, string>, RequiredOnInsert<O>> & PrimaryKeyMark<O> {
  return new TextFieldImpl('text', options ?? {});
}

/** `varchar(maxLength)`; longer values are refused before any SQL is sent. @example username: CharField({ maxLength: 50 }) // "username" varchar(50) */
export function CharField<const O extends CharOptions = {}>(
  options?: O,
): Field<Nullable<O, string>, Nullable<O, string>, RequiredOnInsert<O>> & PrimaryKeyMark<O> {
  const maxLength = Math.trunc(options?.maxLength ?? 255);
  return new TextFieldImpl(`varchar(${maxLength})`, options ?? {}, maxLength);
}

/** `uuid`, as a lowercase string. @example id: UUIDField({ primaryKey: true, default: () => crypto.randomUUID() }) */
export function UUIDField<const O extends FieldOptions<string> = {}>(
  options?: O,
): Field<Nullable<O, string>, Nullable<O, string>, RequiredOnInsert<O>> & PrimaryKeyMark<O> {
  return new UUIDFieldImpl(options ?? {});
}

/**
 * `citext` (the citext extension: `CREATE EXTENSION citext`): text compared case-insensitively by the server.
 * @example email: CITextField({ unique: true }) // "email" citext NOT NULL UNIQUE; Email.email.eq('A@X.org') matches 'a@x.org'
 */
export function CITextField<const O extends FieldOptions<string> = {}>(
  options?: O,
): Field<Nullable<O, string>, Nullable<O, string>, RequiredOnInsert<O>> & PrimaryKeyMark<O> {
  return new TextFieldImpl('citext', options ?? {});
}

class FixedCharFieldImpl extends TextFieldImpl {
  /** `character(n)` pads with spaces; the padding is not part of the value (as in peewee). */
  override fromDb(text: string): string {
    return text.replace(/ +$/, '');
  }
}

export interface FixedCharOptions extends FieldOptions<string> {
  /** The length in characters; default 1, as in PostgreSQL. */
  readonly length?: number;
}

/**
 * `character(n)`: values of at most n characters, stored padded with spaces and
 * read back without the padding (as peewee does).
 * @example code: FixedCharField({ length: 3 }) // "code" character(3) NOT NULL; 'ab' is read back as 'ab'
 */
export function FixedCharField<const O extends FixedCharOptions = {}>(
  options?: O,
): Field<Nullable<O, string>, Nullable<O, string>, RequiredOnInsert<O>> & PrimaryKeyMark<O> {
  const length = Math.trunc(options?.length ?? 1);
  if (!(length >= 1)) throw new TypeError(`FixedCharField: length must be a positive integer, received ${String(options?.length)}`);
  return new FixedCharFieldImpl(`character(${length})`, options ?? {}, length);
}
