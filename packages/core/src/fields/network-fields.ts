import { ConversionFailure, Field, type FieldOptions, type Nullable, type PrimaryKeyMark, type RequiredOnInsert } from './field.js';

const IPV4 = String.raw`(?:\d{1,3}(?:\.\d{1,3}){0,3})`;
const IPV6 = String.raw`(?:[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){1,7}(?::${IPV4})?)`;
const ADDRESS = new RegExp(String.raw`^(?:${IPV4}|${IPV6})(?:/\d{1,3})?$`, 'i');

class NetworkFieldImpl extends Field<any, any, any> {
  constructor(
    readonly sqlType: 'inet' | 'cidr',
    options: FieldOptions<string>,
  ) {
    super(options);
  }
  protected convert(v: unknown): string {
    // The shape is checked here; the server checks the rest (octet ranges, host bits of a cidr).
    if (typeof v !== 'string' || !ADDRESS.test(v.trim()))
      throw new ConversionFailure(`expected an IPv4 or IPv6 address${this.sqlType === 'cidr' ? ' network' : ''} as a string, e.g. '10.0.0.0/8'`);
    return v.trim();
  }
  fromDb(text: string): string {
    return text;
  }
}

/**
 * `inet`: a host address with an optional netmask, as a string. The server
 * prints `10.0.0.1/32` as `10.0.0.1`.
 * @example ip: InetField() // "ip" inet NOT NULL
 */
export function InetField<const O extends FieldOptions<string> = {}>(
  options?: O,
): Field<Nullable<O, string>, Nullable<O, string>, RequiredOnInsert<O>> & PrimaryKeyMark<O> {
  return new NetworkFieldImpl('inet', options ?? {});
}

/**
 * `cidr`: a network, as a string; the server refuses host bits (`10.0.0.1/8`) and prints the mask (`10.0.0.0/8`).
 * @example net: CidrField() // "net" cidr NOT NULL
 */
export function CidrField<const O extends FieldOptions<string> = {}>(
  options?: O,
): Field<Nullable<O, string>, Nullable<O, string>, RequiredOnInsert<O>> & PrimaryKeyMark<O> {
  return new NetworkFieldImpl('cidr', options ?? {});
}
