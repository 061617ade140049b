import type { ColumnDescription } from '../introspect/schema-description.js';

/**
 * Pieces of JavaScript source for generated migration files. Every name and
 * SQL text from the catalog or the models is written through these, so a
 * quote, a backslash or a `${` in it stays data and never becomes code.
 */

/** A single-quoted string literal. @example str("it's") // 'it\'s' */
export function str(text: string): string {
  return `'${text
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')}'`;
}

/** A sql`…` fragment holding `text` verbatim (backticks, backslashes and `${` escaped). @example sqlTag("now()") // sql`now()` */
export function sqlTag(text: string): string {
  return `sql\`${text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\``;
}

/** A table (or type, or index) as the operations take it: a bare name in public, `{ schema, name }` elsewhere. */
export function ref(schema: string, name: string): string {
  return schema === 'public' ? str(name) : `{ schema: ${str(schema)}, name: ${str(name)} }`;
}

/** A list of strings. */
export const strList = (items: readonly string[]): string => `[${items.map(str).join(', ')}]`;

/** An object literal from entries whose value is source text; undefined values are left out. */
export function object(entries: Readonly<Record<string, string | undefined>>): string {
  const parts = Object.entries(entries)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : str(k)}: ${v}`);
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}

/** The type as a migration writes it: user types of public without their schema (`mood`, not `public.mood`). */
export const typeText = (type: string): string => type.replace(/^public\./, '');

const NEXTVAL = /^nextval\('((?:[^']|'')+)'::regclass\)$/;

/** The sequence a `nextval('…'::regclass)` default reads (as regclass text, quoted where needed), else undefined. */
export function sequenceOf(defaultText: string | undefined): string | undefined {
  const m = defaultText === undefined ? undefined : NEXTVAL.exec(defaultText);
  return m?.[1]?.replace(/''/g, "'");
}

const SERIALS: Record<string, string> = { integer: 'serial', bigint: 'bigserial', smallint: 'smallserial' };

/** `serial` (`bigserial`, `smallserial`) for an integer column whose default reads the sequence a serial column of that name would own. */
export function serialType(schema: string, table: string, column: ColumnDescription): string | undefined {
  const serial = SERIALS[column.type];
  const sequence = sequenceOf(column.default);
  if (serial === undefined || sequence === undefined) return undefined;
  const bare = `${table}_${column.name}_seq`;
  const quoted = /^[a-z_][a-z0-9_$]*$/.test(bare) ? bare : `"${bare.replace(/"/g, '""')}"`;
  const expected = schema === 'public' ? quoted : `${/^[a-z_][a-z0-9_$]*$/.test(schema) ? schema : `"${schema.replace(/"/g, '""')}"`}.${quoted}`;
  return sequence === expected ? serial : undefined;
}

/**
 * A column description as a `ColumnSpec` literal: what `createTable` and
 * `addColumn` take. A serial key stays `serial` (so its sequence is created);
 * defaults and generated expressions are the catalog's SQL text.
 *
 * @example columnSpec('public', 'users', { name: 'bio', type: 'text', nullable: true, typeKind: 'base' }) // { type: 'text' }
 */
export function columnSpec(schema: string, table: string, column: ColumnDescription, options: { primaryKey?: boolean } = {}): string {
  const serial = serialType(schema, table, column);
  const implied = options.primaryKey === true || serial !== undefined || column.identity !== undefined;
  return object({
    type: str(serial ?? typeText(column.type)),
    primaryKey: options.primaryKey ? 'true' : undefined,
    notNull: !column.nullable && !implied ? 'true' : undefined,
    default: serial === undefined && column.default !== undefined ? sqlTag(column.default) : undefined,
    identity: column.identity === undefined ? undefined : str(column.identity),
    generated: column.generated === undefined ? undefined : sqlTag(column.generated),
  });
}
