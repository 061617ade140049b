import { type AnyField, type AnyModelClass, compile, type Expressible, type ForeignKeyFieldImpl, type ModelMeta, withThroughModels } from '@pewit/core';
import { defaultLikeCatalog, expressionLikeCatalog } from './normalize-expression.js';
import { normalizeType, SERIAL_TYPES } from './normalize-type.js';
import { quoteIdent } from './quote-ident.js';
import type {
  CheckDescription,
  ColumnDescription,
  EnumDescription,
  ForeignKeyDescription,
  IndexDescription,
  SchemaDescription,
  TableDescription,
  UniqueDescription,
  ViewDescription,
} from './schema-description.js';

const isForeignKey = (field: AnyField): field is ForeignKeyFieldImpl => 'fkOptions' in field && 'targetField' in field;

/** The catalog's order of names (`ORDER BY` on `name`, collation C). */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const schemaOf = (meta: ModelMeta) => meta.schema ?? 'public';

/** SQL of a fragment written for DDL (defaults, generated, predicates): no parameters there. */
const ddlText = (fragment: Expressible) => compile(fragment.toNode()).text;

/** The sequence a serial column's default reads, as `pg_get_expr` writes it (`nextval('users_id_seq'::regclass)`). */
function serialDefault(meta: ModelMeta, column: string): string {
  const sequence = quoteIdent(`${meta.table}_${column}_seq`);
  const qualified = meta.schema && meta.schema !== 'public' ? `${quoteIdent(meta.schema)}.${sequence}` : sequence;
  return `nextval('${qualified.replace(/'/g, "''")}'::regclass)`;
}

function columnOf(meta: ModelMeta, field: AnyField): ColumnDescription {
  const sqlType = field.sqlType.trim();
  // An enum's type name comes qualified with the model's schema; an unqualified type left here is a custom or
  // extension type (citext), found through the search path: public.
  const { type, elementType } = normalizeType(sqlType, 'public');
  const { identity, generated } = field.options;
  const inKey = meta.keyFields.includes(field);
  const serverDefault = field.serverDefault;
  const column: ColumnDescription = {
    name: field.columnName,
    type,
    typeKind: field.ownedType ? 'enum' : 'base',
    elementType,
    nullable: !(inKey || !field.nullable || (identity !== undefined && identity !== false)),
    default: SERIAL_TYPES.has(sqlType.toLowerCase())
      ? serialDefault(meta, field.columnName)
      : serverDefault === undefined
        ? undefined
        : defaultLikeCatalog(ddlText(serverDefault), type),
    identity: identity === 'always' ? 'always' : identity === true ? 'by default' : undefined,
    generated: generated === undefined ? undefined : expressionLikeCatalog(ddlText(generated)),
  };
  return withoutUndefined(column);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const columnsOf = (meta: ModelMeta, names: readonly string[]) =>
  names.map((name) => {
    const field = meta.byName.get(name);
    if (!field) throw new TypeError(`${meta.name}: "${name}" is not a field of the model; its fields are ${[...meta.byName.keys()].join(', ')}`);
    return field.columnName;
  });

function tableOf(meta: ModelMeta): TableDescription {
  const uniques: UniqueDescription[] = [];
  const checks: CheckDescription[] = [];
  const foreignKeys: ForeignKeyDescription[] = [];
  const indexes: IndexDescription[] = [];
  for (const field of meta.fields) {
    const c = field.columnName;
    if (field.options.unique && !field.isPrimaryKey) uniques.push({ name: `${meta.table}_${c}_key`, columns: [c] });
    if (field.options.check) checks.push({ name: `${meta.table}_${c}_check`, expression: expressionLikeCatalog(field.options.check), columns: [c] });
    if (isForeignKey(field)) {
      const target = field.target._meta;
      foreignKeys.push({
        name: `${meta.table}_${c}_fkey`,
        columns: [c],
        referencedSchema: schemaOf(target),
        referencedTable: target.table,
        referencedColumns: [field.targetField.columnName],
        onDelete: field.fkOptions.onDelete ?? 'NO ACTION',
        onUpdate: field.fkOptions.onUpdate ?? 'NO ACTION',
      });
    }
    if (!field.isPrimaryKey && !field.options.unique && (field.options.index === true || (isForeignKey(field) && field.options.index !== false)))
      indexes.push({ name: `${meta.table}_${c}_idx`, keys: [{ column: c }], unique: false, method: 'btree' });
  }
  for (const constraint of meta.constraints) {
    if ('unique' in constraint) {
      const columns = columnsOf(meta, constraint.unique);
      uniques.push({ name: constraint.name ?? `${meta.table}_${columns.join('_')}_key`, columns });
    } else checks.push(withoutUndefined({ name: constraint.name, expression: expressionLikeCatalog(constraint.check), columns: [] }));
  }
  for (const index of meta.indexes) {
    const columns = columnsOf(meta, index.fields);
    const unique = index.unique === true;
    indexes.push(
      withoutUndefined({
        name: index.name ?? `${meta.table}_${columns.join('_')}${unique ? '_key' : '_idx'}`,
        keys: columns.map((column) => ({ column })),
        unique,
        method: index.using ?? 'btree',
        where: index.where === undefined ? undefined : expressionLikeCatalog(ddlText(index.where)),
      }),
    );
  }
  const byName = <T extends { name?: string | undefined }>(list: T[]) => list.sort((a, b) => byCodeUnits(a.name ?? '', b.name ?? ''));
  return withoutUndefined({
    schema: schemaOf(meta),
    name: meta.table,
    columns: meta.fields.map((f) => columnOf(meta, f)),
    primaryKey: meta.keyFields.length ? { name: `${meta.table}_pkey`, columns: meta.keyFields.map((f) => f.columnName) } : undefined,
    uniques: byName(uniques),
    checks: byName(checks),
    foreignKeys: byName(foreignKeys),
    indexes: byName(indexes),
    exclusions: [],
    partitioned: false,
  });
}

function enumsOf(metas: readonly ModelMeta[]): EnumDescription[] {
  const byKey = new Map<string, EnumDescription>();
  for (const meta of metas)
    for (const field of meta.fields) {
      const type = field.ownedType;
      if (!type) continue;
      const schema = type.schema ?? 'public';
      const key = `${schema}.${type.name}`;
      const seen = byKey.get(key);
      if (seen && seen.values.join('\u0000') !== type.values.join('\u0000'))
        throw new TypeError(
          `${meta.name}.${field.name}: the enum type ${type.sql} is declared with ${JSON.stringify(type.values)} here and ${JSON.stringify(seen.values)} elsewhere`,
        );
      byKey.set(key, { schema, name: type.name, values: [...type.values] });
    }
  return [...byKey.values()];
}

/**
 * The schema pewit models describe, in the form `introspectDatabase` reads
 * from the catalog: what `createTables` would create (the join tables of
 * many-to-many fields included). Read-only models become views without a
 * definition (pewit does not know their query). Constraint and index names
 * are the ones the server gives by default.
 *
 * @example
 * const wanted = schemaOfModels([User, Tweet]);
 * const changes = diffSchemas(await introspectDatabase(db), wanted); // [] after db.createTables([User, Tweet])
 */
export function schemaOfModels(models: readonly AnyModelClass[]): SchemaDescription {
  const metas = withThroughModels(models.map((m) => m._meta));
  const tables = metas.filter((m) => !m.readOnly).map(tableOf);
  const views: ViewDescription[] = metas
    .filter((m) => m.readOnly)
    .map((m) => ({ schema: schemaOf(m), name: m.table, materialized: false, columns: m.fields.map((f) => ({ ...columnOf(m, f), nullable: true })) }));
  const schemas = [...new Set(metas.map(schemaOf))];
  const order = (a: { schema: string; name: string }, b: { schema: string; name: string }) =>
    schemas.indexOf(a.schema) - schemas.indexOf(b.schema) || byCodeUnits(a.name, b.name);
  return {
    schemas,
    enums: enumsOf(metas.filter((m) => !m.readOnly)).sort(order),
    tables: tables.sort(order),
    views: views.sort(order),
    partitions: [],
  };
}
