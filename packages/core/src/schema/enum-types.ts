import type { Program } from '../evaluation/program.js';
import type { EnumTypeDefinition } from '../fields/enum-field.js';
import type { ModelMeta } from '../meta/model-meta.js';

/**
 * The enum types the models' columns use, once each (several columns may
 * share one), in the order first used. Two different value lists under one
 * name are refused: one of them would be silently wrong.
 */
export function enumTypesOf(models: readonly ModelMeta[]): EnumTypeDefinition[] {
  const byName = new Map<string, EnumTypeDefinition>();
  for (const meta of models) {
    for (const field of meta.fields) {
      const type = field.ownedType;
      if (!type?.create) continue;
      const seen = byName.get(type.sql);
      if (!seen) byName.set(type.sql, type);
      else if (seen.values.join('\u0000') !== type.values.join('\u0000'))
        throw new TypeError(
          `${meta.name}.${field.name}: the enum type ${type.sql} is declared with ${JSON.stringify(type.values)} here and ${JSON.stringify(seen.values)} elsewhere`,
        );
    }
  }
  return [...byName.values()];
}

/**
 * An enum label as a string literal: DDL takes no parameters. `E'…'` with `\` and `'` escaped reads the same
 * whatever standard_conforming_strings says.
 *
 * @example enumLabelSql("it's") // E'it\'s'
 */
export const enumLabelSql = (label: string): string => `E'${label.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * The CREATE TYPE statement of an enum type, its name quoted and its labels written by `enumLabelSql`
 * (DDL takes no parameters). Used by `createTables` and by `@pewit/migrate`'s `createEnum`.
 *
 * @example createEnumTypeSql({ sql: '"mood"', schema: undefined, name: 'mood', values: ['ok', 'sad'], create: true }) // CREATE TYPE "mood" AS ENUM (E'ok', E'sad')
 */
export function createEnumTypeSql(type: EnumTypeDefinition): string {
  return `CREATE TYPE ${type.sql} AS ENUM (${type.values.map(enumLabelSql).join(', ')})`;
}

/** Whether the type exists in its schema (or, unqualified, in the schema CREATE TYPE would use); names are parameters. */
const EXISTS = `SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typname = $1 AND n.nspname = COALESCE($2::text, current_schema())`;

/**
 * CREATE TYPE for each enum, before any table. PostgreSQL has no
 * `CREATE TYPE IF NOT EXISTS`: with `safe` the catalog is asked first and an
 * existing type is left as it is.
 */
export function* createEnumTypesProgram(models: readonly ModelMeta[], options: { readonly safe?: boolean | undefined } = {}): Program<void> {
  for (const type of enumTypesOf(models)) {
    if (options.safe) {
      const found = yield { text: EXISTS, values: [type.name, type.schema ?? null] };
      if (found.rows.length > 0) continue;
    }
    yield { text: createEnumTypeSql(type), values: [] };
  }
}

/** Whether any column (of a table not dropped, or an array of the type) still uses the type. */
const IN_USE = `SELECT EXISTS (SELECT 1 FROM pg_depend d WHERE d.deptype = 'n' AND d.classid = 'pg_class'::regclass AND d.refobjid IN (t.oid, t.typarray)) FROM pg_type t WHERE t.oid = to_regtype($1)`;

/**
 * DROP TYPE for each enum, after the tables. A type another table still uses
 * is kept (its DROP would fail, or with CASCADE drop that table's column);
 * with `safe`, a type that is not there is no error.
 */
export function* dropEnumTypesProgram(models: readonly ModelMeta[], options: { readonly safe?: boolean | undefined } = {}): Program<void> {
  for (const type of enumTypesOf(models)) {
    const used = yield { text: IN_USE, values: [type.sql] };
    if (used.rows[0]?.[0] === 't') continue;
    yield { text: `DROP TYPE ${options.safe ? 'IF EXISTS ' : ''}${type.sql}`, values: [] };
  }
}
