/**
 * The pg_catalog queries introspection runs. Each takes the schema names as
 * `$1` (a text[] parameter) and returns one JSON document per row, so the
 * shape is decided here, in SQL, and read without per-column decoding.
 *
 * Type names: built-in types (pg_catalog) as `format_type` writes them;
 * every other type as `schema.name` (each part through `quote_ident`), so
 * the text does not depend on the search path.
 */

/** The normalised type name of a type oid `t` with modifier `m`, as an SQL expression. */
const typeName = (t: string, m: string) => `(SELECT CASE
    WHEN x_et.oid IS NOT NULL AND x_etn.nspname <> 'pg_catalog' THEN quote_ident(x_etn.nspname) || '.' || quote_ident(x_et.typname) || '[]'
    WHEN x_et.oid IS NULL AND x_tn.nspname <> 'pg_catalog' THEN quote_ident(x_tn.nspname) || '.' || quote_ident(x_ty.typname)
    ELSE format_type(${t}, ${m}) END
  FROM pg_type x_ty JOIN pg_namespace x_tn ON x_tn.oid = x_ty.typnamespace
  LEFT JOIN pg_type x_et ON x_et.oid = x_ty.typelem AND x_ty.typcategory = 'A'
  LEFT JOIN pg_namespace x_etn ON x_etn.oid = x_et.typnamespace
  WHERE x_ty.oid = ${t})`;

/** Columns of relation `c` as a JSON array, in attnum order. */
const columnsJson = `(SELECT coalesce(json_agg(json_build_object(
    'name', a.attname,
    'type', ${typeName('a.atttypid', 'a.atttypmod')},
    'typeKind', CASE coalesce(et.typtype, ty.typtype) WHEN 'b' THEN 'base' WHEN 'e' THEN 'enum' WHEN 'd' THEN 'domain' WHEN 'c' THEN 'composite'
      WHEN 'r' THEN 'range' WHEN 'm' THEN 'multirange' ELSE 'pseudo' END,
    'elementType', CASE WHEN et.oid IS NULL THEN NULL ELSE ${typeName('et.oid', 'a.atttypmod')} END,
    'baseType', CASE WHEN coalesce(et.typtype, ty.typtype) = 'd'
      THEN ${typeName('coalesce(et.typbasetype, ty.typbasetype)', 'coalesce(et.typtypmod, ty.typtypmod)')} END,
    'nullable', NOT a.attnotnull,
    'default', CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END,
    'identity', CASE a.attidentity WHEN 'a' THEN 'always' WHEN 'd' THEN 'by default' END,
    'generated', CASE WHEN a.attgenerated <> '' THEN pg_get_expr(d.adbin, d.adrelid) END
  ) ORDER BY a.attnum), '[]'::json)
  FROM pg_attribute a
  JOIN pg_type ty ON ty.oid = a.atttypid
  LEFT JOIN pg_type et ON et.oid = ty.typelem AND ty.typcategory = 'A'
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)`;

/** Column names of `key` (an attnum array) of relation `rel`, in key order. */
const keyNames = (key: string, rel: string) =>
  `(SELECT coalesce(json_agg(a.attname ORDER BY k.i), '[]'::json) FROM unnest(${key}) WITH ORDINALITY AS k(n, i)
    JOIN pg_attribute a ON a.attrelid = ${rel} AND a.attnum = k.n)`;

const ACTION = (column: string) =>
  `CASE ${column} WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END`;

const constraintsJson = (type: string, fields: string) => `(SELECT coalesce(json_agg(json_build_object(${fields}) ORDER BY co.conname), '[]'::json)
  FROM pg_constraint co WHERE co.conrelid = c.oid AND co.contype = '${type}')`;

/** Tables (plain and partitioned; partitions are left out) with their columns, keys, constraints and indexes. */
export const TABLES_SQL = `SELECT json_build_object(
  'schema', n.nspname,
  'name', c.relname,
  'partitioned', c.relkind = 'p',
  'columns', ${columnsJson},
  'primaryKey', (SELECT json_build_object('name', co.conname, 'columns', ${keyNames('co.conkey', 'c.oid')})
     FROM pg_constraint co WHERE co.conrelid = c.oid AND co.contype = 'p'),
  'uniques', ${constraintsJson('u', `'name', co.conname, 'columns', ${keyNames('co.conkey', 'c.oid')}`)},
  'checks', ${constraintsJson('c', `'name', co.conname, 'expression', pg_get_expr(co.conbin, co.conrelid), 'columns', ${keyNames('co.conkey', 'c.oid')}`)},
  'foreignKeys', ${constraintsJson(
    'f',
    `'name', co.conname, 'columns', ${keyNames('co.conkey', 'c.oid')},
     'referencedSchema', (SELECT rn.nspname FROM pg_class r JOIN pg_namespace rn ON rn.oid = r.relnamespace WHERE r.oid = co.confrelid),
     'referencedTable', (SELECT r.relname FROM pg_class r WHERE r.oid = co.confrelid),
     'referencedColumns', ${keyNames('co.confkey', 'co.confrelid')},
     'onDelete', ${ACTION('co.confdeltype')}, 'onUpdate', ${ACTION('co.confupdtype')}`,
  )},
  'exclusions', (SELECT coalesce(json_agg(pg_get_constraintdef(co.oid) ORDER BY co.conname), '[]'::json)
     FROM pg_constraint co WHERE co.conrelid = c.oid AND co.contype = 'x'),
  'indexes', (SELECT coalesce(json_agg(json_build_object(
       'name', ic.relname,
       'keys', (SELECT json_agg(CASE WHEN i.indkey[k - 1] = 0
           THEN json_build_object('expression', pg_get_indexdef(i.indexrelid, k, true))
           ELSE json_build_object('column', (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum = i.indkey[k - 1])) END
         ORDER BY k) FROM generate_series(1, i.indnkeyatts) AS k),
       'unique', i.indisunique,
       'method', am.amname,
       'where', pg_get_expr(i.indpred, i.indrelid)
     ) ORDER BY ic.relname), '[]'::json)
     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
     WHERE i.indrelid = c.oid AND NOT EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.indexrelid AND co.conrelid = c.oid))
) AS item
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY array_position($1::text[], n.nspname::text), c.relname`;

/** The partitions left out of TABLES_SQL, so the caller can say they were. */
export const PARTITIONS_SQL = `SELECT n.nspname || '.' || c.relname AS item
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p') AND c.relispartition
ORDER BY 1`;

export const VIEWS_SQL = `SELECT json_build_object(
  'schema', n.nspname,
  'name', c.relname,
  'materialized', c.relkind = 'm',
  'columns', ${columnsJson},
  'definition', pg_get_viewdef(c.oid, true)
) AS item
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('v', 'm')
ORDER BY array_position($1::text[], n.nspname::text), c.relname`;

export const ENUMS_SQL = `SELECT json_build_object(
  'schema', n.nspname,
  'name', t.typname,
  'values', (SELECT json_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)
) AS item
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = ANY($1::text[]) AND t.typtype = 'e'
ORDER BY array_position($1::text[], n.nspname::text), t.typname`;
