import { quoteIdent } from './quote-ident.js';

/** Spellings of built-in types in DDL → the name `format_type` writes. */
const ALIASES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  serial: 'integer',
  serial4: 'integer',
  int2: 'smallint',
  smallserial: 'smallint',
  serial2: 'smallint',
  int8: 'bigint',
  bigserial: 'bigint',
  serial8: 'bigint',
  bool: 'boolean',
  float8: 'double precision',
  float: 'double precision',
  float4: 'real',
  decimal: 'numeric',
  varchar: 'character varying',
  'char varying': 'character varying',
  char: 'character',
  bpchar: 'bpchar',
  timestamptz: 'timestamp with time zone',
  'timestamp with time zone': 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  'timestamp without time zone': 'timestamp without time zone',
  timetz: 'time with time zone',
  'time with time zone': 'time with time zone',
  time: 'time without time zone',
  'time without time zone': 'time without time zone',
  varbit: 'bit varying',
};

/** Built-in (pg_catalog) type names as `format_type` writes them, without modifiers. */
const BUILT_IN = new Set([
  'integer',
  'smallint',
  'bigint',
  'boolean',
  'double precision',
  'real',
  'numeric',
  'character varying',
  'character',
  'bpchar',
  'text',
  'name',
  'timestamp with time zone',
  'timestamp without time zone',
  'time with time zone',
  'time without time zone',
  'date',
  'interval',
  'uuid',
  'json',
  'jsonb',
  'jsonpath',
  'bytea',
  'inet',
  'cidr',
  'macaddr',
  'macaddr8',
  'tsvector',
  'tsquery',
  'money',
  'xml',
  'point',
  'line',
  'lseg',
  'box',
  'path',
  'polygon',
  'circle',
  'bit',
  'bit varying',
  'oid',
  'regclass',
  'regtype',
  'int4range',
  'int8range',
  'numrange',
  'tsrange',
  'tstzrange',
  'daterange',
  'int4multirange',
  'int8multirange',
  'nummultirange',
  'tsmultirange',
  'tstzmultirange',
  'datemultirange',
  'pg_lsn',
  'txid_snapshot',
  'pg_snapshot',
  '"char"',
]);

/** Serial shorthands: their column is an integer type with a sequence default. */
export const SERIAL_TYPES: ReadonlySet<string> = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

const IDENT = '(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"]|"")+")';
const TYPE = new RegExp(String.raw`^(?:(${IDENT})\.)?(${IDENT}(?:\s+[A-Za-z]+)*?)\s*(\([^)]*\))?((?:\s+[A-Za-z]+)*)\s*((?:\[\d*\])*)$`);

const unquote = (part: string) => (part.startsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part.toLowerCase());

/** What a DDL type name is, normalised. */
export interface NormalizedType {
  /** As the catalog reads back (see SchemaDescription). */
  readonly type: string;
  /** The element type of an array, normalised. */
  readonly elementType?: string | undefined;
  readonly builtIn: boolean;
}

/**
 * A type as written in DDL (`varchar(50)`, `timestamptz`, `"app"."tone"[]`,
 * `numeric(10, 2)`) in the form introspection reads back: built-in types as
 * `format_type` writes them, user types as `schema.name`, an unqualified
 * user type in `defaultSchema`.
 *
 * @example normalizeType('varchar(50)[]', 'public') // { type: 'character varying(50)[]', elementType: 'character varying(50)', builtIn: true }
 */
export function normalizeType(sqlType: string, defaultSchema: string): NormalizedType {
  const m = TYPE.exec(sqlType.trim());
  if (!m) return { type: sqlType, builtIn: false };
  const [, schemaPart, namePart = '', modifiers, trailingWords = '', arrays = ''] = m;
  const words = `${namePart}${trailingWords}`.trim().replace(/\s+/g, ' ');
  const quoted = words.startsWith('"');
  const name = quoted ? unquote(words) : words.toLowerCase();
  const mods = modifiers?.replace(/\s+/g, '') ?? '';
  let element: string;
  let builtIn = false;
  if (schemaPart === undefined && !quoted && BUILT_IN.has(ALIASES[name] ?? name)) {
    builtIn = true;
    const base = ALIASES[name] ?? name;
    // format_type writes the modifier where the SQL standard puts it: timestamp(3) with time zone.
    const withTime = /^(timestamp|time) (with|without) time zone$/.exec(base);
    if (withTime && mods) element = `${withTime[1]}${mods} ${withTime[2]} time zone`;
    else if (base === 'character' && !mods) element = 'character(1)';
    else element = `${base}${mods}`;
  } else {
    const schema = schemaPart === undefined ? defaultSchema : unquote(schemaPart);
    element = `${quoteIdent(schema)}.${quoteIdent(name)}${mods}`;
  }
  return arrays ? { type: `${element}[]`, elementType: element, builtIn } : { type: element, builtIn };
}
