import { INDEX_METHODS } from '@pewit/query';
import { callSource, type FieldCall, fieldForColumn } from './field-for-type.js';
import { quoteIdent } from './quote-ident.js';
import type { ColumnDescription, EnumDescription, ForeignKeyDescription, SchemaDescription, TableDescription, ViewDescription } from './schema-description.js';
import { camelCase, kebabCase, literal, pascalCase, reservedProperty, snakeCase, templateBody, uniqueName } from './source-names.js';

/** Options of `generateModels`. */
export interface GenerateOptions {
  /** `'single'` (default): one `models.ts`; `'per-table'`: one file per table and view, plus `index.ts`. */
  readonly layout?: 'single' | 'per-table';
}

export interface GeneratedFile {
  /** Relative path, e.g. `models.ts` or `film-actor.ts`. */
  readonly path: string;
  readonly source: string;
}

/** The generated source and what did not map exactly (also written as comments in the source). */
export interface GeneratedModels {
  readonly files: readonly GeneratedFile[];
  readonly notes: readonly string[];
}

type Relation = { readonly kind: 'table'; readonly d: TableDescription } | { readonly kind: 'view'; readonly d: ViewDescription };

/** A foreign key pewit can declare: one column, to a table being generated. */
interface Link {
  readonly fk: ForeignKeyDescription;
  readonly target: string;
  /** The back-reference's name on the target, once chosen. */
  backref?: string;
}

interface Plan {
  readonly relation: Relation;
  readonly key: string;
  readonly className: string;
  readonly props: Map<string, string>;
  readonly links: Map<string, Link>;
  readonly backrefs: { name: string; source: string }[];
  readonly notes: string[];
}

const key = (schema: string, name: string) => `${schema}.${name}`;
const FIELD_NAMES = [
  'ArrayField',
  'AutoField',
  'BigAutoField',
  'BigIntegerField',
  'BooleanField',
  'ByteaField',
  'CharField',
  'CidrField',
  'CITextField',
  'CompositeKey',
  'customField',
  'DateField',
  'DateTimeField',
  'DecimalField',
  'EnumField',
  'FixedCharField',
  'FloatField',
  'ForeignKeyField',
  'InetField',
  'IntegerField',
  'IntervalField',
  'JSONField',
  'model',
  'SelectQuery',
  'SmallIntegerField',
  'sql',
  'TextField',
  'TimeField',
  'TSVectorField',
  'UUIDField',
  'models',
  'viewDefinitions',
];

/** Property names for a relation's columns: camelCase, never reserved, never twice, never `<fk>Id` beside a foreign key `<fk>`. */
function propertyNames(columns: readonly ColumnDescription[], linked: ReadonlySet<string>): Map<string, string> {
  const taken = new Set<string>();
  const out = new Map<string, string>();
  for (const c of columns) {
    const base = camelCase(linked.has(c.name) && /_id$/i.test(c.name) && c.name.length > 3 ? c.name.slice(0, -3) : c.name);
    let name = reservedProperty(base) ? `${base}Value` : base;
    for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
    taken.add(name);
    out.set(c.name, name);
  }
  for (const column of linked) {
    const prop = out.get(column) as string;
    if (taken.has(`${prop}Id`)) {
      let name = `${prop}Ref`;
      for (let i = 2; taken.has(name); i++) name = `${prop}Ref${i}`;
      taken.delete(prop);
      taken.add(name);
      out.set(column, name);
    }
  }
  return out;
}

const plural = (name: string) => (/s$/.test(name) ? name : `${name}s`);

function plan(schema: SchemaDescription): { plans: Plan[]; byKey: Map<string, Plan> } {
  const relations: Relation[] = [...schema.tables.map((d) => ({ kind: 'table', d }) as const), ...schema.views.map((d) => ({ kind: 'view', d }) as const)];
  const tableKeys = new Set(schema.tables.map((t) => key(t.schema, t.name)));
  const takenClasses = new Set(FIELD_NAMES);
  const plans: Plan[] = relations.map((relation) => {
    const { d } = relation;
    const notes: string[] = [];
    const links = new Map<string, Link>();
    if (relation.kind === 'table')
      for (const fk of relation.d.foreignKeys) {
        const target = key(fk.referencedSchema, fk.referencedTable);
        const column = fk.columns[0] as string;
        if (fk.columns.length !== 1)
          notes.push(`foreign key ${fk.name} (${fk.columns.join(', ')}) spans several columns: pewit declares one-column foreign keys; kept as plain columns`);
        else if (!tableKeys.has(target)) notes.push(`foreign key ${fk.name} references ${target}, which is not generated: ${column} is a plain column`);
        else if (links.has(column)) notes.push(`foreign key ${fk.name}: ${column} already references another table; only the first is declared`);
        else links.set(column, { fk, target });
      }
    const className = uniqueName(pascalCase(d.name), takenClasses);
    return { relation, key: key(d.schema, d.name), className, props: propertyNames(d.columns, new Set(links.keys())), links, backrefs: [], notes };
  });
  const byKey = new Map(plans.map((p) => [p.key, p]));
  // Back-references: `<source table>s` on the target, `…By<Field>` when one table references the same target twice
  // or itself (`tweetsByReplyTo`, not a second `tweets`).
  for (const p of plans) {
    const perTarget = new Map<string, number>();
    for (const link of p.links.values()) perTarget.set(link.target, (perTarget.get(link.target) ?? 0) + 1);
    for (const [column, link] of p.links) {
      const target = byKey.get(link.target) as Plan;
      const base = plural(camelCase(p.relation.d.name));
      const wanted = (perTarget.get(link.target) ?? 0) > 1 || target === p ? `${base}By${pascalCase(p.props.get(column) as string)}` : base;
      const taken = new Set([...target.props.values(), ...target.backrefs.map((b) => b.name)]);
      let name = reservedProperty(wanted) ? `${wanted}List` : wanted;
      for (let i = 2; taken.has(name); i++) name = `${wanted}${i}`;
      target.backrefs.push({ name, source: p.key });
      link.backref = name;
    }
  }
  return { plans, byKey };
}

const SERIAL_DEFAULT = /^nextval\('(.+)'::regclass\)$/;
const SERIALS: Record<string, string> = { integer: 'serial', bigint: 'bigserial', smallint: 'smallserial' };

/** Pops the first item matching `test` from `list`, or undefined. */
function take<T>(list: T[], test: (item: T) => boolean): T | undefined {
  const i = list.findIndex(test);
  return i < 0 ? undefined : list.splice(i, 1)[0];
}

interface Emitted {
  readonly source: string;
  readonly uses: Set<string>;
  /** Classes this one refers to as values (foreign key targets), and as types (back-references). */
  readonly valueRefs: Set<string>;
  readonly typeRefs: Set<string>;
}

function emitModel(p: Plan, byKey: ReadonlyMap<string, Plan>, enums: ReadonlyMap<string, EnumDescription>): Emitted {
  const uses = new Set<string>(['model']);
  const valueRefs = new Set<string>();
  const typeRefs = new Set<string>();
  const { relation } = p;
  const d = relation.d;
  const table = relation.kind === 'table' ? relation.d : undefined;
  const uniques = [...(table?.uniques ?? [])];
  const checks = [...(table?.checks ?? [])];
  const indexes = [...(table?.indexes ?? [])];
  const pk = table?.primaryKey?.columns ?? [];
  const prop = (column: string) => p.props.get(column) as string;
  const lines: string[] = [];
  for (const column of d.columns) {
    const c = column.name;
    const name = prop(c);
    const link = p.links.get(c);
    const opts: [string, string][] = [];
    let call: FieldCall;
    let element: FieldCall | undefined;
    const single = pk.length === 1 && pk[0] === c;
    const sequence = quoteIdent(`${d.name}_${c}_seq`);
    const ownSequence = (d.schema === 'public' ? sequence : `${quoteIdent(d.schema)}.${sequence}`).replace(/'/g, "''");
    const serialType = column.identity === undefined && SERIAL_DEFAULT.exec(column.default ?? '') ? SERIALS[column.type] : undefined;
    const serial = single && serialType !== undefined && column.type !== 'smallint';
    // A serial column that is not the key alone (a part of a composite key, a counter): the serial type itself, so
    // createTables makes the sequence the default reads.
    const serialColumn = !serial && serialType !== undefined && SERIAL_DEFAULT.exec(column.default ?? '')?.[1] === ownSequence;
    if (link) {
      const target = byKey.get(link.target) as Plan;
      const targetTable = target.relation.d as TableDescription;
      const self = target === p;
      if (!self) valueRefs.add(target.className);
      call = { fn: 'ForeignKeyField', first: self ? "'self'" : `() => ${target.className}`, options: [] };
      const referenced = link.fk.referencedColumns[0] as string;
      const targetPk = targetTable.primaryKey?.columns ?? [];
      if (!(targetPk.length === 1 && targetPk[0] === referenced)) opts.push(['field', literal(target.props.get(referenced) as string)]);
      const referencedType = targetTable.columns.find((x) => x.name === referenced)?.type;
      if (referencedType !== column.type) p.notes.push(`${c}: pewit gives a foreign key its target's type (${referencedType}); the column is ${column.type}`);
    } else if (serial) {
      call = { fn: column.type === 'bigint' ? 'BigAutoField' : 'AutoField', options: [] };
      if (SERIAL_DEFAULT.exec(column.default ?? '')?.[1] !== ownSequence)
        p.notes.push(`${c}: its default is ${column.default}; createTables makes the sequence ${ownSequence}`);
    } else if (serialColumn) {
      const big = column.type === 'bigint';
      call = {
        fn: 'customField',
        typeArgument: big ? 'bigint' : 'number',
        options: [
          ['sqlType', literal(serialType as string)],
          ['toDatabase', '(v) => String(v)'],
          ['fromDatabase', big ? '(text) => BigInt(text)' : '(text) => Number(text)'],
        ],
      };
    } else {
      ({ call, element } = fieldForColumn(column, enums, d.schema));
      if (call.custom) p.notes.push(`${c}: ${call.custom}; mapped to customField<${call.typeArgument}>`);
    }
    if (single && !serial) opts.push(['primaryKey', 'true']);
    if (column.nullable && !pk.includes(c) && !single) opts.push(['null', 'true']);
    if (SERIAL_DEFAULT.test(column.default ?? '') && !serial && !serialColumn)
      p.notes.push(`${c}: its default ${column.default} reads a sequence createTables does not make; create it first`);
    if (column.default !== undefined && !serial && !serialColumn) {
      uses.add('sql');
      opts.push(['default', `sql\`${templateBody(column.default)}\``]);
    }
    if (column.identity) opts.push(['identity', column.identity === 'always' ? "'always'" : 'true']);
    if (column.generated !== undefined) {
      uses.add('sql');
      opts.push(['generated', `sql\`${templateBody(column.generated)}\``]);
    }
    const unique = take(uniques, (u) => u.columns.length === 1 && u.columns[0] === c && u.name === `${d.name}_${c}_key`);
    if (unique) opts.push(['unique', 'true']);
    const check = take(checks, (k) => k.columns.length === 1 && k.columns[0] === c && k.name === `${d.name}_${c}_check`);
    if (check) opts.push(['check', literal(check.expression)]);
    const plainIndex = take(
      indexes,
      (i) =>
        !i.unique &&
        i.method === 'btree' &&
        i.where === undefined &&
        i.keys.length === 1 &&
        'column' in i.keys[0]! &&
        i.keys[0].column === c &&
        i.name === `${d.name}_${c}_idx`,
    );
    if (plainIndex && !link) opts.push(['index', 'true']);
    if (!plainIndex && link && !unique && !single) opts.push(['index', 'false']);
    const derived = link ? `${snakeCase(name)}_id` : snakeCase(name);
    if (derived !== c) opts.push(['columnName', literal(c)]);
    if (link) {
      if (link.fk.onDelete !== 'NO ACTION') opts.push(['onDelete', literal(link.fk.onDelete)]);
      if (link.fk.onUpdate !== 'NO ACTION') opts.push(['onUpdate', literal(link.fk.onUpdate)]);
      if (link.backref) opts.push(['backref', literal(link.backref)]);
    }
    for (const used of [call.fn, element?.fn]) if (used) uses.add(used);
    const fieldSource = element
      ? `ArrayField(${callSource(element, [])}${opts.length ? `, { ${opts.map(([k, v]) => `${k}: ${v}`).join(', ')} }` : ''})`
      : callSource(call, opts);
    lines.push(`    ${name}: ${fieldSource},`);
  }
  const options: string[] = [];
  const comments: string[] = [];
  if (d.schema !== 'public') options.push(`schema: ${literal(d.schema)}`);
  if (relation.kind === 'view') options.push('readOnly: true');
  if (pk.length > 1) {
    uses.add('CompositeKey');
    options.push(`primaryKey: CompositeKey(${pk.map((c) => literal(prop(c))).join(', ')})`);
  }
  if (table?.primaryKey?.name !== undefined && table.primaryKey.name !== `${d.name}_pkey`)
    p.notes.push(`primary key constraint ${table.primaryKey.name}: pewit lets the server name it (${d.name}_pkey)`);
  const constraints = [
    ...uniques.map((u) => {
      const named = u.name === `${d.name}_${u.columns.join('_')}_key` ? '' : `, name: ${literal(u.name as string)}`;
      return `{ unique: [${u.columns.map((c) => literal(prop(c))).join(', ')}]${named} }`;
    }),
    ...checks.map((k) => `{ check: ${literal(k.expression)}, name: ${literal(k.name as string)} }`),
  ];
  if (constraints.length) options.push(`constraints: [${constraints.join(', ')}]`);
  const indexSpecs: string[] = [];
  for (const index of indexes) {
    const columns = index.keys.map((k) => ('column' in k ? k.column : undefined));
    if (columns.some((c) => c === undefined) || !(INDEX_METHODS as readonly string[]).includes(index.method)) {
      const keys = index.keys.map((k) => ('column' in k ? k.column : k.expression)).join(', ');
      p.notes.push(
        `index ${index.name} (${keys}) uses expressions or the ${index.method} method: pewit models declare column indexes; create it in a migration`,
      );
      comments.push(`// index ${index.name} USING ${index.method} (${keys})${index.where ? ` WHERE ${index.where}` : ''}: not declared (expression keys)`);
      continue;
    }
    const named = index.name === `${d.name}_${(columns as string[]).join('_')}${index.unique ? '_key' : '_idx'}`;
    const parts = [`fields: [${(columns as string[]).map((c) => literal(prop(c))).join(', ')}]`];
    if (index.unique) parts.push('unique: true');
    if (!named) parts.push(`name: ${literal(index.name)}`);
    if (index.method !== 'btree') parts.push(`using: ${literal(index.method)}`);
    if (index.where !== undefined) {
      uses.add('sql');
      parts.push(`where: sql\`${templateBody(index.where)}\``);
    }
    indexSpecs.push(`{ ${parts.join(', ')} }`);
  }
  if (indexSpecs.length) options.push(`indexes: [${indexSpecs.join(', ')}]`);
  for (const exclusion of table?.exclusions ?? []) {
    p.notes.push(`exclusion constraint ${exclusion}: pewit models cannot declare it; create it in a migration`);
    comments.push(`// ${exclusion}: not declared (exclusion constraint)`);
  }
  if (table?.partitioned) p.notes.push('a partitioned table: createTables makes a plain table; its partitions are not generated');
  const body = p.backrefs.map((b) => {
    const source = byKey.get(b.source) as Plan;
    uses.add('SelectQuery');
    if (source !== p) typeRefs.add(source.className);
    return `  declare readonly ${b.name}: SelectQuery<${source.className}>;\n`;
  });
  const header = [...p.notes.map((n) => `// Note: ${n}`), ...comments];
  const what =
    relation.kind === 'view'
      ? `${relation.d.materialized ? 'Materialized view' : 'View'} ${key(d.schema, d.name)} (read-only)`
      : `Table ${key(d.schema, d.name)}`;
  const source = `/** ${what}. */\n${header.map((h) => `${h}\n`).join('')}export class ${p.className} extends model(\n  ${literal(d.name)},\n  {\n${lines.join('\n')}\n  },${
    options.length ? `\n  { ${options.join(', ')} },` : ''
  }\n) {${body.length ? `\n${body.join('')}` : ''}}\n`;
  return { source, uses, valueRefs, typeRefs };
}

function importLine(uses: ReadonlySet<string>): string {
  const names = [...uses].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })).map((n) => (n === 'SelectQuery' ? 'type SelectQuery' : n));
  return `import { ${names.join(', ')} } from '@pewit/core';\n`;
}

function viewDefinitionsSource(views: readonly ViewDescription[]): string {
  const items = views.map(
    (v) =>
      `  { schema: ${literal(v.schema)}, name: ${literal(v.name)}, materialized: ${v.materialized}, definition: ${literal((v.definition ?? '').trim().replace(/;$/, ''))} },`,
  );
  return `/**\n * The views' queries, as pg_get_viewdef wrote them: pewit reads a view through a read-only model and does not\n * create it (create it in a migration: CREATE VIEW <name> AS <definition>).\n */\nexport const viewDefinitions: readonly { schema: string; name: string; materialized: boolean; definition: string }[] = [\n${items.join('\n')}\n];\n`;
}

const HEADER = (schema: SchemaDescription) =>
  `// Generated by \`pewit introspect\` from the schema${schema.schemas.length > 1 ? 's' : ''} ${schema.schemas.join(', ')}. Edit freely: it is yours now.\n`;

/**
 * Model source for an existing database: a pewit model for every table and
 * view of the description (views as read-only models), column types mapped
 * to pewit fields (unknown types to a typed customField, never dropped),
 * primary and composite keys, foreign keys with their actions and
 * back-references, unique and check constraints, indexes (partial, by
 * method), defaults as `sql` fragments, identity and generated columns,
 * enums. What pewit cannot declare is listed in `notes` and as comments.
 *
 * @example
 * const { files, notes } = generateModels(await introspectDatabase(db), { layout: 'single' });
 * files[0].source; // "export class Users extends model('users', { id: AutoField(), … }) {}" …
 */
export function generateModels(schema: SchemaDescription, options: GenerateOptions = {}): GeneratedModels {
  const enums = new Map(schema.enums.map((e) => [`${quoteIdent(e.schema)}.${quoteIdent(e.name)}`, e]));
  const { plans, byKey } = plan(schema);
  const emitted = plans.map((p) => emitModel(p, byKey, enums));
  const notes = [
    ...plans.flatMap((p) => p.notes.map((n) => `${p.key}: ${n}`)),
    ...schema.partitions.map((name) => `${name}: a partition, described through its parent; not generated`),
  ];
  const tables = plans.filter((p) => p.relation.kind === 'table').map((p) => p.className);
  const views = plans.filter((p) => p.relation.kind === 'view').map((p) => p.className);
  const list = `\n/** Every table's model, for db.bind(models) and db.createTables(models). */\nexport const models = [${tables.join(', ')}];\n\n/** The read-only models of the views. */\nexport const viewModels = [${views.join(', ')}];\n\n`;
  if (options.layout === 'per-table') {
    const files = plans.map((p, i) => {
      const e = emitted[i] as Emitted;
      const fileOf = (className: string) => kebabCase(plans.find((x) => x.className === className)?.relation.d.name ?? className);
      const values = [...e.valueRefs].map((c) => `import { ${c} } from './${fileOf(c)}.js';\n`);
      const types = [...e.typeRefs].filter((c) => !e.valueRefs.has(c)).map((c) => `import type { ${c} } from './${fileOf(c)}.js';\n`);
      return { path: `${kebabCase(p.relation.d.name)}.ts`, source: `${HEADER(schema)}${importLine(e.uses)}${[...values, ...types].join('')}\n${e.source}` };
    });
    const paths = new Set<string>();
    for (const f of files)
      if (paths.has(f.path)) throw new Error(`pewit introspect: two relations map to the file ${f.path}; use the single-file layout`);
      else paths.add(f.path);
    const index = `${HEADER(schema)}${plans.map((p) => `import { ${p.className} } from './${kebabCase(p.relation.d.name)}.js';\n`).join('')}\nexport { ${plans.map((p) => p.className).join(', ')} };\n${list}${viewDefinitionsSource(schema.views)}`;
    return { files: [...files, { path: 'index.ts', source: index }], notes };
  }
  const uses = new Set(emitted.flatMap((e) => [...e.uses]));
  const source = `${HEADER(schema)}${importLine(uses)}\n${emitted.map((e) => e.source).join('\n')}${list}${viewDefinitionsSource(schema.views)}`;
  return { files: [{ path: 'models.ts', source }], notes };
}
