import { quoteIdentifier } from '@pewit/query';

/** PostgreSQL truncates identifiers to 63 bytes; a longer name would silently become another one. */
const MAX_IDENTIFIER_BYTES = 63;

/**
 * A type name as SQL: `'mood'` → `"mood"`, `'app.mood'` → `"app"."mood"`;
 * without a schema in the name, `schema` (the model's) qualifies it. Every
 * part is a quoted identifier, so no text of the name is SQL.
 */
export function quotedTypeName(name: string, schema?: string): { sql: string; schema: string | undefined; name: string } {
  const parts = name.split('.');
  if (parts.length > 2 || parts.some((p) => p === '')) throw new TypeError(`type name "${name}": expected "name" or "schema.name"`);
  const [typeSchema, typeName] = parts.length === 2 ? (parts as [string, string]) : [schema, parts[0] as string];
  for (const part of [typeSchema, typeName]) {
    if (part === undefined) continue;
    if (Buffer.byteLength(part) > MAX_IDENTIFIER_BYTES)
      throw new TypeError(`type name "${part}" is longer than 63 bytes, which PostgreSQL would truncate; name it with { typeName }`);
    if (part.includes('\u0000')) throw new TypeError('a type name cannot contain NUL characters');
  }
  return {
    sql: typeSchema === undefined ? quoteIdentifier(typeName) : `${quoteIdentifier(typeSchema)}.${quoteIdentifier(typeName)}`,
    schema: typeSchema,
    name: typeName,
  };
}

const IDENT = String.raw`(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"\u0000]|"")+")`;
/** Words that continue a built-in type's name (`double precision`, `timestamp(3) with time zone`, `interval day to second`). */
const TYPE_WORDS = String.raw`(?:precision|varying|with|without|time|zone|year|month|day|hour|minute|second|to)`;
const MODIFIER = String.raw`(?:-?\d+|[A-Za-z_][A-Za-z0-9_]*)`;
const SQL_TYPE = new RegExp(
  String.raw`^${IDENT}(?:\.${IDENT})?(?:\s+${TYPE_WORDS})*(?:\s*\(\s*${MODIFIER}(?:\s*,\s*${MODIFIER})*\s*\))?(?:\s+${TYPE_WORDS})*(?:\[\d*\])*$`,
  'i',
);

/**
 * Checks a developer-written SQL type (`vector(3)`, `geometry(Point, 4326)`,
 * `public.hstore`, `"my type"[]`) against a closed pattern: identifiers,
 * quoted identifiers, the words of built-in multi-word types, a modifier
 * list and array brackets. Nothing else can reach DDL or a cast.
 */
export function checkSqlType(sqlType: string, where: string): string {
  const type = sqlType.trim();
  if (!SQL_TYPE.test(type))
    throw new TypeError(`${where}: "${sqlType}" is not a PostgreSQL type name (expected e.g. "vector(3)", "geometry(Point, 4326)", "app.my_type", "text[]")`);
  return type;
}
