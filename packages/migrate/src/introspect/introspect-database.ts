import type { Database, Program, RawResult } from '@pewit/core';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { ENUMS_SQL, PARTITIONS_SQL, TABLES_SQL, VIEWS_SQL } from './catalog-sql.js';
import type { SchemaDescription } from './schema-description.js';

/** Options of `introspectDatabase`. */
export interface IntrospectOptions {
  /** The schemas to describe; `['public']` when left out. */
  readonly schemas?: readonly string[];
}

const what = { trigger: 'await', target: 'introspectDatabase()' };

function* statement(text: string, values: readonly unknown[]): Program<RawResult> {
  return yield { text, values };
}

/** The first cell of each row of a catalog query over `schemas`. */
async function cells(db: Database, text: string, schemas: readonly string[]): Promise<string[]> {
  const result = await db.evaluate(statement(text, [schemas]), what);
  return result.rows.map((row) => row[0] as string);
}

const items = async <T>(db: Database, text: string, schemas: readonly string[]): Promise<T[]> =>
  (await cells(db, text, schemas)).map((cell) => JSON.parse(cell) as T);

/**
 * Describes the tables, views and enums of a live database's schemas, read
 * from pg_catalog: columns with normalised types, defaults as `pg_get_expr`
 * writes them, identity and generated columns, primary keys, unique, check
 * and foreign key constraints, indexes (method, partial predicate,
 * expressions), views with their definition.
 *
 * Given a URL it opens its own connection and closes it; given a database it
 * uses it and leaves it open. Defaults and view definitions are written by
 * the server relative to the connection's search_path.
 *
 * @example
 * const schema = await introspectDatabase('postgres://localhost/app', { schemas: ['public'] });
 * // SELECT json_build_object('schema', n.nspname, 'name', c.relname, …) FROM pg_class c … WHERE n.nspname = ANY($1::text[]) …
 * schema.tables.map((t) => t.name); // ['tweets', 'users']
 */
export async function introspectDatabase(db: Database | string, options: IntrospectOptions = {}): Promise<SchemaDescription> {
  const schemas = options.schemas ?? ['public'];
  if (schemas.length === 0 || schemas.some((s) => typeof s !== 'string' || s === ''))
    throw new TypeError(`introspectDatabase: schemas must be non-empty schema names, got ${JSON.stringify(schemas)}`);
  const database = typeof db === 'string' ? new PostgresqlDatabase(db) : db;
  try {
    const [enums, tables, views, partitions] = [
      await items<SchemaDescription['enums'][number]>(database, ENUMS_SQL, schemas),
      await items<SchemaDescription['tables'][number]>(database, TABLES_SQL, schemas),
      await items<SchemaDescription['views'][number]>(database, VIEWS_SQL, schemas),
      await cells(database, PARTITIONS_SQL, schemas),
    ];
    return { schemas: [...schemas], enums, tables: tables.map(withoutNulls), views: views.map(withoutNulls), partitions };
  } finally {
    if (typeof db === 'string') await database.close();
  }
}

/** JSON nulls of optional properties become absent, as in descriptions built from models. */
function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutNulls) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = withoutNulls(v);
  return out as T;
}
