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
  return new Date(fastTimestamp(text) ?? slowTimestamp(text));
}

/** The digits of `text` from `start` to `end` as a number, or -1 when one is not a digit. */
function digitsAt(text: string, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * The common shape, `YYYY-MM-DD HH:MM:SS[.ffffff][±HH[:MM]]` with a year from
 * 100 on, read without a regex or intermediate strings: most timestamps a
 * query returns take this path, and it dominated hydration time. Anything
 * else returns undefined for the general parser.
 */
function fastTimestamp(t: string): number | undefined {
  const length = t.length;
  if (length < 19 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58) return undefined;
  const sep = t.charCodeAt(10);
  if (sep !== 32 && sep !== 84) return undefined;
  const year = digitsAt(t, 0, 4);
  const month = digitsAt(t, 5, 7);
  const day = digitsAt(t, 8, 10);
  const hour = digitsAt(t, 11, 13);
  const minute = digitsAt(t, 14, 16);
  const second = digitsAt(t, 17, 19);
  // Date.UTC reads years 0–99 as 1900–1999; those (and malformed digits) take the general path.
  if (year < 100 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  let i = 19;
  let ms = 0;
  if (i < length && t.charCodeAt(i) === 46) {
    let scale = 100;
    for (i++; i < length; i++) {
      const d = t.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      ms += d * scale;
      scale /= 10;
    }
    ms = Math.floor(ms);
  }
  let offsetMinutes = 0;
  if (i < length) {
    const sign = t.charCodeAt(i);
    if (sign !== 43 && sign !== 45) return undefined;
    const hours = digitsAt(t, i + 1, i + 3);
    let minutes = 0;
    if (i + 3 === length) minutes = 0;
    else if (i + 6 === length && t.charCodeAt(i + 3) === 58) minutes = digitsAt(t, i + 4, i + 6);
    else return undefined; // offsets with seconds (local mean time before 1900)
    if (hours < 0 || minutes < 0) return undefined;
    offsetMinutes = (sign === 45 ? -1 : 1) * (hours * 60 + minutes);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
}

/** Every shape the server prints: infinities, five-digit years, BC, offsets with seconds. */
function slowTimestamp(text: string): number {
  if (text === 'infinity') return 8.64e15;
  if (text === '-infinity') return -8.64e15;
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
    return date.getTime() - (sign === '-' ? -offset : offset);
  }
  // `timestamp without time zone` (or a DateTimeField mapped onto one): pewit writes UTC wall time, so read it as UTC.
  return date.getTime();
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
