import { adminQuery } from '@pewit/test-support';

/**
 * The schema of `public` as pg_catalog has it (not as pewit thinks it is):
 * tables with their columns, indexes and constraints, and enum types. Two
 * snapshots are equal exactly when nothing a migration touches differs.
 */
export interface Catalog {
  readonly tables: Record<string, { columns: string[]; indexes: string[]; constraints: string[] }>;
  readonly enums: Record<string, string[]>;
}

const TABLES = `SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname`;
const COLUMNS = `SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
    || COALESCE(' default ' || pg_get_expr(d.adbin, d.adrelid), '') || CASE WHEN a.attidentity <> '' THEN ' identity ' || a.attidentity::text ELSE '' END AS c
  FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`;
const INDEXES = `SELECT pg_get_indexdef(i.indexrelid) AS c FROM pg_index i WHERE i.indrelid = $1 ORDER BY 1`;
const CONSTRAINTS = `SELECT conname || ' ' || pg_get_constraintdef(oid) AS c FROM pg_constraint WHERE conrelid = $1 AND contype <> 'n' ORDER BY 1`;
const ENUMS = `SELECT t.typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels FROM pg_type t
  JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid WHERE n.nspname = 'public' GROUP BY t.typname ORDER BY 1`;

export async function catalog(url: string): Promise<Catalog> {
  const tables: Catalog['tables'] = {};
  for (const t of (await adminQuery(url, TABLES)).rows) {
    const list = async (text: string) => (await adminQuery(url, text, [t.oid])).rows.map((r) => r.c as string);
    tables[t.relname] = { columns: await list(COLUMNS), indexes: await list(INDEXES), constraints: await list(CONSTRAINTS) };
  }
  const enums: Catalog['enums'] = {};
  for (const r of (await adminQuery(url, ENUMS)).rows) enums[r.typname] = r.labels;
  return { tables, enums };
}
