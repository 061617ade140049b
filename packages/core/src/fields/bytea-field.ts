import { decodeBytea } from '../types/text-decoders.js';
import { ConversionFailure, Field, type FieldOptions, type Nullable, type PrimaryKeyMark, type RequiredOnInsert } from './field.js';

class ByteaFieldImpl extends Field<any, any, any> {
  readonly sqlType = 'bytea';
  protected convert(v: unknown): Buffer {
    if (Buffer.isBuffer(v)) return v;
    if (v instanceof Uint8Array) return Buffer.from(v);
    throw new ConversionFailure('expected a Buffer or Uint8Array');
  }
  fromDb(text: string): Buffer {
    return decodeBytea(text);
  }
}

/** `bytea` ↔ `Buffer`. @example avatar: ByteaField({ null: true }) */
export function ByteaField<const O extends FieldOptions<Buffer> = {}>(
  options?: O,
): Field<Nullable<O, Buffer>, Nullable<O, Buffer | Uint8Array>, RequiredOnInsert<O>> & PrimaryKeyMark<O> {
  return new ByteaFieldImpl(options ?? {});
}
