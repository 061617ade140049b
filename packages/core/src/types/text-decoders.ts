/**
 * Decoders from PostgreSQL's text format to JavaScript values, keyed by type
 * OID. Used for columns that are not model fields (expressions, `fn.count`,
 * raw SQL). They belong to core, not the driver, so both paths convert the
 * same way and no global parser of the driver is ever touched.
 */
export type TextDecoder = (text: string) => unknown;

const int = (t: string) => Number.parseInt(t, 10);
const float = (t: string) => Number(t);
/** `count(*)` and other int8 results come back as numbers while they are exact, as bigints beyond. */
const int8 = (t: string) => {
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : BigInt(t);
};
const bool = (t: string) => t === 't';
const json = (t: string) => JSON.parse(t) as unknown;
const timestamp = (t: string) => parseTimestamp(t);
const bytea = (t: string) => decodeBytea(t);

const TIMESTAMP = /^(\d{4,})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?(?:([+-])(\d\d)(?::?(\d\d))?(?::?(\d\d))?)?( BC)?$/;

/**
 * Parses PostgreSQL's ISO timestamp text (`2024-01-02 03:04:05.678+05:30`)
 * by hand: the server may print offsets with seconds (local mean time before
 * 1900), five-digit years and BC dates, none of which `Date` parses.
 * Sub-millisecond digits are dropped (a Date holds milliseconds);
 * `infinity` maps to the largest dates. Text without an offset is UTC.
 */
export function parseTimestamp(text: string): Date {
  if (text === 'infinity') return new Date(8.64e15);
  if (text === '-infinity') return new Date(-8.64e15);
  const m = TIMESTAMP.exec(text);
  if (!m) throw new Error(`unexpected timestamp format "${text}": set DateStyle to ISO`);
  const [, y, mo, d, h, mi, s, frac, sign, oh, om, os, bc] = m;
  const year = bc ? 1 - Number(y) : Number(y);
  const ms = frac ? Number(frac.padEnd(3, '0').slice(0, 3)) : 0;
  const date = new Date(0);
  date.setUTCFullYear(year, Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), ms);
  if (sign) {
    const offset = (Number(oh) * 3600 + Number(om ?? 0) * 60 + Number(os ?? 0)) * 1000;
    return new Date(date.getTime() - (sign === '-' ? -offset : offset));
  }
  // `timestamp without time zone` (or a DateTimeField mapped onto one): pewit writes UTC wall time, so read it as UTC.
  return date;
}

/** Decodes bytea hex output (`\x0102`). */
export function decodeBytea(text: string): Buffer {
  if (text.startsWith('\\x')) return Buffer.from(text.slice(2), 'hex');
  throw new Error(`unexpected bytea format "${text.slice(0, 10)}…": set bytea_output = 'hex'`);
}

/**
 * Parses a one-dimensional PostgreSQL array literal (`{1,2,"a b",NULL}`)
 * into raw element strings; nested arrays become nested JS arrays.
 */
export function parseArrayLiteral(text: string): unknown[] {
  let pos = 0;
  function parse(): unknown[] {
    const out: unknown[] = [];
    if (text[pos] === '[') pos = text.indexOf('=', pos) + 1; // skip explicit bounds
    pos++; // '{'
    while (pos < text.length) {
      const ch = text[pos];
      if (ch === '}') {
        pos++;
        return out;
      }
      if (ch === ',') {
        pos++;
        continue;
      }
      if (ch === '{') {
        out.push(parse());
        continue;
      }
      if (ch === '"') {
        pos++;
        let s = '';
        while (text[pos] !== '"') {
          if (text[pos] === '\\') pos++;
          s += text[pos++];
        }
        pos++;
        out.push(s);
        continue;
      }
      let end = pos;
      while (text[end] !== ',' && text[end] !== '}') end++;
      const token = text.slice(pos, end);
      out.push(token === 'NULL' ? null : token);
      pos = end;
    }
    return out;
  }
  return parse();
}

function arrayOf(decode: TextDecoder): TextDecoder {
  const walk = (items: unknown[]): unknown[] => items.map((v) => (Array.isArray(v) ? walk(v) : v === null ? null : decode(v as string)));
  return (t) => walk(parseArrayLiteral(t));
}

const identity: TextDecoder = (t) => t;

const SCALAR: Record<number, TextDecoder> = {
  16: bool,
  17: bytea,
  20: int8,
  21: int,
  23: int,
  26: int,
  114: json,
  3802: json,
  700: float,
  701: float,
  1082: identity,
  1114: timestamp,
  1184: timestamp,
};

const ARRAY_ELEMENT: Record<number, number> = {
  1000: 16,
  1001: 17,
  1016: 20,
  1005: 21,
  1007: 23,
  199: 114,
  3807: 3802,
  1021: 700,
  1022: 701,
  1182: 1082,
  1115: 1114,
  1185: 1184,
  1009: 25,
  1015: 1043,
  2951: 2950,
  1231: 1700,
};

/** The decoder for a type OID; unknown types stay as text (numeric stays an exact string). */
export function decoderFor(typeId: number): TextDecoder {
  const scalar = SCALAR[typeId];
  if (scalar) return scalar;
  const element = ARRAY_ELEMENT[typeId];
  if (element !== undefined) return arrayOf(SCALAR[element] ?? identity);
  return identity;
}
