import { quoteIdentifier as q } from '@pewit/query';
import type { SchemaChange } from '../diff/schema-change.js';
import { widens } from '../diff/type-widening.js';
import { quoteIdent } from '../introspect/quote-ident.js';
import type {
  CheckDescription,
  ColumnDescription,
  EnumDescription,
  ForeignKeyDescription,
  IndexDescription,
  SchemaDescription,
  TableDescription,
  UniqueDescription,
} from '../introspect/schema-description.js';
import { type MigrationStep, PHASE } from './migration-step.js';
import { columnSpec, object, ref, serialType, sqlTag, str, strList, typeText } from './source-text.js';

const shown = (schema: string, name: string) => (schema === 'public' ? name : `${schema}.${name}`);
const tableSql = (schema: string, name: string) => (schema === 'public' ? q(name) : `${q(schema)}.${q(name)}`);

const STRINGS = /^(text|character varying(\(\d+\))?|character\(\d+\)|bpchar)$/;
const NUMBERS = /^(smallint|integer|bigint|real|double precision|numeric(\(\d+(,\d+)?\))?)$/;
const TIMES = /^(date|timestamp(\(\d\))? with(out)? time zone)$/;

/**
 * Whether PostgreSQL converts `from` to `to` in `ALTER COLUMN … TYPE` by
 * itself (an assignment cast): within the numbers, within the date and time
 * types, anything to a string type. Otherwise the step writes `using`.
 */
export function convertsImplicitly(from: string, to: string): boolean {
  if (widens(from, to) || STRINGS.test(to)) return true;
  return (NUMBERS.test(from) && NUMBERS.test(to)) || (TIMES.test(from) && TIMES.test(to));
}

const using = (column: string, to: string) => sqlTag(`${q(column)}::${typeText(to)}`);

function fillsRows(column: ColumnDescription): boolean {
  return column.nullable || column.default !== undefined || column.identity !== undefined || column.generated !== undefined;
}

const NOT_NULL_NOTE = (where: string) =>
  `${where} is NOT NULL without a default: on a table that has rows the runner refuses this step; give it a default, or pass { backfill: sql\`…\` } as the last argument`;

/** `m.addColumn(…)` and its note when existing rows would need a value. */
function addColumnLines(schema: string, table: string, column: ColumnDescription): { line: string; note?: string } {
  const line = `m.addColumn(${ref(schema, table)}, ${str(column.name)}, ${columnSpec(schema, table, column)});`;
  return fillsRows(column) || serialType(schema, table, column) !== undefined
    ? { line }
    : { line, note: NOT_NULL_NOTE(`${shown(schema, table)}.${column.name}`) };
}

const uniqueName = (table: string, u: UniqueDescription) => u.name ?? `${table}_${u.columns.join('_')}_key`;
const checkName = (table: string, c: CheckDescription) => c.name ?? `${table}_check`;
const foreignKeyName = (table: string, fk: ForeignKeyDescription) => fk.name ?? `${table}_${fk.columns.join('_')}_fkey`;

const addUnique = (s: string, t: string, u: UniqueDescription) => `m.addUnique(${ref(s, t)}, ${strList(u.columns)}, { name: ${str(uniqueName(t, u))} });`;
const addCheck = (s: string, t: string, c: CheckDescription) => `m.addCheck(${ref(s, t)}, ${str(checkName(t, c))}, ${sqlTag(c.expression)});`;
const dropConstraint = (s: string, t: string, name: string) => `m.dropConstraint(${ref(s, t)}, ${str(name)});`;

function addForeignKey(s: string, t: string, fk: ForeignKeyDescription): string {
  const options = object({
    name: str(foreignKeyName(t, fk)),
    onDelete: fk.onDelete === 'NO ACTION' ? undefined : str(fk.onDelete),
    onUpdate: fk.onUpdate === 'NO ACTION' ? undefined : str(fk.onUpdate),
  });
  return `m.addForeignKey(${ref(s, t)}, ${strList(fk.columns)}, ${ref(fk.referencedSchema, fk.referencedTable)}, ${strList(fk.referencedColumns)}, ${options});`;
}

function addIndex(s: string, t: string, index: IndexDescription): string {
  const keys = index.keys.map((k) => ('column' in k ? str(k.column) : sqlTag(k.expression)));
  const options = object({
    name: str(index.name),
    unique: index.unique ? 'true' : undefined,
    using: index.method === 'btree' ? undefined : str(index.method),
    where: index.where === undefined ? undefined : sqlTag(index.where),
  });
  return `m.addIndex(${ref(s, t)}, [${keys.join(', ')}], ${options});`;
}
const dropIndex = (s: string, index: IndexDescription) => `m.dropIndex(${ref(s, index.name)});`;

const uniqueStep = (s: string, t: string, u: UniqueDescription, add: boolean): MigrationStep => ({
  phase: add ? PHASE.addIndexOrConstraint : PHASE.dropIndexOrConstraint,
  summary: `${add ? 'add' : 'drop'} unique ${uniqueName(t, u)} on ${shown(s, t)} (${u.columns.join(', ')})`,
  up: [add ? addUnique(s, t, u) : dropConstraint(s, t, uniqueName(t, u))],
  down: [add ? dropConstraint(s, t, uniqueName(t, u)) : addUnique(s, t, u)],
});
const checkStep = (s: string, t: string, c: CheckDescription, add: boolean): MigrationStep => ({
  phase: add ? PHASE.addIndexOrConstraint : PHASE.dropIndexOrConstraint,
  summary: `${add ? 'add' : 'drop'} check ${checkName(t, c)} on ${shown(s, t)}`,
  up: [add ? addCheck(s, t, c) : dropConstraint(s, t, checkName(t, c))],
  down: [add ? dropConstraint(s, t, checkName(t, c)) : addCheck(s, t, c)],
});
const foreignKeyStep = (s: string, t: string, fk: ForeignKeyDescription, add: boolean): MigrationStep => ({
  phase: add ? PHASE.addForeignKey : PHASE.dropForeignKey,
  summary: `${add ? 'add' : 'drop'} foreign key ${foreignKeyName(t, fk)} on ${shown(s, t)} → ${shown(fk.referencedSchema, fk.referencedTable)}`,
  up: [add ? addForeignKey(s, t, fk) : `m.dropForeignKey(${ref(s, t)}, ${str(foreignKeyName(t, fk))});`],
  down: [add ? `m.dropForeignKey(${ref(s, t)}, ${str(foreignKeyName(t, fk))});` : addForeignKey(s, t, fk)],
});
const indexStep = (s: string, t: string, index: IndexDescription, add: boolean): MigrationStep => ({
  phase: add ? PHASE.addIndexOrConstraint : PHASE.dropIndexOrConstraint,
  summary: `${add ? 'add' : 'drop'} ${index.unique ? 'unique ' : ''}index ${index.name} on ${shown(s, t)}`,
  up: [add ? addIndex(s, t, index) : dropIndex(s, index)],
  down: [add ? dropIndex(s, index) : addIndex(s, t, index)],
});

function createTableLine(t: TableDescription): string {
  const key = t.primaryKey?.columns ?? [];
  const single = key.length === 1 ? key[0] : undefined;
  const columns = object(Object.fromEntries(t.columns.map((c) => [c.name, columnSpec(t.schema, t.name, c, { primaryKey: c.name === single })])));
  const options = key.length > 1 ? `, { primaryKey: ${strList(key)} }` : '';
  return `m.createTable(${ref(t.schema, t.name)}, ${columns}${options});`;
}

/** A table's own constraints and indexes, as steps of their own (so foreign keys between new tables come after both). */
function tableParts(t: TableDescription, add: boolean): MigrationStep[] {
  return [
    ...t.uniques.map((u) => uniqueStep(t.schema, t.name, u, add)),
    ...t.checks.map((c) => checkStep(t.schema, t.name, c, add)),
    ...t.indexes.map((i) => indexStep(t.schema, t.name, i, add)),
    ...t.foreignKeys.map((fk) => foreignKeyStep(t.schema, t.name, fk, add)),
  ];
}

/**
 * The lines that rebuild enum `e` with `values`: PostgreSQL cannot remove a
 * label, so the type is renamed, created again, every column that uses it is
 * converted through text, and the old type dropped. Rows holding a label the
 * new type lacks make the conversion fail (and the migration roll back).
 */
function rebuildEnum(e: EnumDescription, values: readonly string[], live: SchemaDescription): string[] {
  const typeKey = `${quoteIdent(e.schema)}.${quoteIdent(e.name)}`;
  const old = `${e.name.slice(0, 50)}_pewit_old`;
  const lines = [
    `m.sql(${sqlTag(`ALTER TYPE ${tableSql(e.schema, e.name)} RENAME TO ${q(old)}`)});`,
    `m.createEnum(${ref(e.schema, e.name)}, ${strList(values)});`,
  ];
  for (const t of live.tables)
    for (const c of t.columns) {
      if (c.type !== typeKey && c.type !== `${typeKey}[]`) continue;
      const array = c.type.endsWith('[]');
      if (c.default !== undefined) lines.push(`m.dropDefault(${ref(t.schema, t.name)}, ${str(c.name)});`);
      const through = sqlTag(`${q(c.name)}::text${array ? '[]' : ''}::${typeText(c.type)}`);
      lines.push(`m.alterColumnType(${ref(t.schema, t.name)}, ${str(c.name)}, ${str(typeText(c.type))}, { using: ${through} });`);
      if (c.default !== undefined) lines.push(`m.setDefault(${ref(t.schema, t.name)}, ${str(c.name)}, ${sqlTag(c.default)});`);
    }
  lines.push(`m.dropEnum(${ref(e.schema, old)});`);
  return lines;
}

function identityStep(s: string, t: string, column: string, from: string | undefined, to: string | undefined): MigrationStep {
  const alter = (action: string) => `m.sql(${sqlTag(`ALTER TABLE ${tableSql(s, t)} ALTER COLUMN ${q(column)} ${action}`)});`;
  const generated = (kind: string) => (kind === 'always' ? 'ALWAYS' : 'BY DEFAULT');
  const set = (kind: string | undefined, other: string | undefined) =>
    kind === undefined
      ? alter('DROP IDENTITY')
      : other === undefined
        ? alter(`ADD GENERATED ${generated(kind)} AS IDENTITY`)
        : alter(`SET GENERATED ${generated(kind)}`);
  return {
    phase: PHASE.column,
    summary: `${to === undefined ? 'drop identity of' : `identity ${to} on`} ${shown(s, t)}.${column}`,
    up: [set(to, from)],
    down: [set(from, to)],
    notes:
      from === undefined
        ? ['a new identity starts at 1: set its start past the values the column holds (ALTER TABLE … ALTER COLUMN … RESTART WITH …)']
        : undefined,
  };
}

/**
 * `alterColumnType`, with `using` where PostgreSQL does not convert by itself. A default cannot follow such a
 * conversion (PostgreSQL refuses: "default … cannot be cast automatically"), so around it the old default is
 * dropped and the new one set: the step then stands for the column's default change too (`handlesDefault`).
 */
function columnTypeStep(
  s: string,
  t: string,
  from: ColumnDescription,
  to: ColumnDescription,
  destructive: boolean,
): MigrationStep & { handlesDefault: boolean } {
  const where = `${shown(s, t)}.${to.name}`;
  const [a, b] = [typeText(from.type), typeText(to.type)];
  const forward = convertsImplicitly(from.type, to.type) ? undefined : using(to.name, to.type);
  const back = convertsImplicitly(to.type, from.type) ? undefined : using(to.name, from.type);
  const table = ref(s, t);
  const column = str(to.name);
  const handlesDefault = (forward !== undefined || back !== undefined) && (from.default !== undefined || to.default !== undefined);
  const around = (lines: string[], before: string | undefined, after: string | undefined) =>
    handlesDefault
      ? [
          ...(before === undefined ? [] : [`m.dropDefault(${table}, ${column});`]),
          ...lines,
          ...(after === undefined ? [] : [`m.setDefault(${table}, ${column}, ${sqlTag(after)});`]),
        ]
      : lines;
  // `from` (and `fromUsing`) in the up let a down be derived should the written one be deleted.
  const up = object({ using: forward, from: str(a), fromUsing: back });
  return {
    phase: PHASE.column,
    summary: `change type of ${where}: ${a} → ${b}${handlesDefault ? ' (and its default)' : ''}`,
    up: around([`m.alterColumnType(${table}, ${column}, ${str(b)}, ${up});`], from.default, to.default),
    down: around([`m.alterColumnType(${table}, ${column}, ${str(a)}${back === undefined ? '' : `, { using: ${back} }`});`], to.default, from.default),
    destructive: destructive
      ? `${b} does not hold every value of ${a}: values of ${where} that do not convert fail the migration, or are cut or rounded`
      : undefined,
    downCannot: destructive ? `the down converts ${where} back to ${a} but cannot restore what the up cut or rounded` : undefined,
    downNotes:
      !destructive && !widens(to.type, from.type) ? [`the down narrows ${where} back to ${a}: values that do not fit by then make it fail`] : undefined,
    handlesDefault,
  };
}

/**
 * The steps of a migration from `diffSchemas(live, wanted)` (after renames were
 * applied to `live`): each change as up and down source lines, flagged where
 * it loses data. Views are not generated (models do not know their query);
 * they come back in `notes`.
 */
export function stepsOfChanges(changes: readonly SchemaChange[], live: SchemaDescription): { steps: MigrationStep[]; notes: string[] } {
  const steps: MigrationStep[] = [];
  const notes: string[] = [];
  /** Columns whose type step also changed the default (the diff lists the default change after the type change). */
  const defaultsDone = new Set<string>();
  for (const c of changes) {
    switch (c.kind) {
      case 'enumAdded':
        steps.push({
          phase: PHASE.enumAdd,
          summary: `create enum ${shown(c.enum.schema, c.enum.name)} (${c.enum.values.join(', ')})`,
          up: [`m.createEnum(${ref(c.enum.schema, c.enum.name)}, ${strList(c.enum.values)});`],
          down: [`m.dropEnum(${ref(c.enum.schema, c.enum.name)});`],
        });
        break;
      case 'enumValuesAdded': {
        const all = c.enum.values;
        const before = all.filter((v) => !c.values.includes(v));
        steps.push({
          phase: PHASE.enumAdd,
          summary: `add ${c.values.join(', ')} to enum ${shown(c.enum.schema, c.enum.name)}`,
          up: c.values.map((v) => {
            const i = all.indexOf(v);
            const position = i > 0 ? `{ after: ${str(all[i - 1] as string)} }` : `{ before: ${str(all[1] as string)} }`;
            return `m.addEnumValue(${ref(c.enum.schema, c.enum.name)}, ${str(v)}, ${position});`;
          }),
          notes: ['a value added to an enum can be used once this migration has committed: use it in the next one'],
          down: rebuildEnum(c.enum, before, live),
          downCannot: `PostgreSQL cannot remove a value from an enum: the down rebuilds ${shown(c.enum.schema, c.enum.name)} without ${c.values.join(', ')}, and fails if a row holds one`,
        });
        break;
      }
      case 'enumValuesRemoved': {
        const old = live.enums.find((e) => e.schema === c.enum.schema && e.name === c.enum.name);
        steps.push({
          phase: PHASE.enumAdd,
          summary: `remove ${c.values.join(', ')} from enum ${shown(c.enum.schema, c.enum.name)} (rebuilds the type)`,
          up: rebuildEnum(c.enum, c.enum.values, live),
          down: rebuildEnum(c.enum, old?.values ?? [...c.enum.values, ...c.values], live),
          destructive: `rows holding ${c.values.join(', ')} make the conversion fail; change them first`,
        });
        break;
      }
      case 'enumDropped':
        steps.push({
          phase: PHASE.enumDrop,
          summary: `drop enum ${shown(c.enum.schema, c.enum.name)}`,
          up: [`m.dropEnum(${ref(c.enum.schema, c.enum.name)});`],
          down: [`m.createEnum(${ref(c.enum.schema, c.enum.name)}, ${strList(c.enum.values)});`],
        });
        break;
      case 'tableAdded':
        steps.push({
          phase: PHASE.addTable,
          summary: `create table ${shown(c.schema, c.table)}`,
          up: [createTableLine(c.description)],
          down: [`m.dropTable(${ref(c.schema, c.table)});`],
        });
        steps.push(...tableParts(c.description, true));
        break;
      case 'tableDropped':
        steps.push(...tableParts(c.description, false));
        steps.push({
          phase: PHASE.dropTable,
          summary: `drop table ${shown(c.schema, c.table)}`,
          up: [`m.dropTable(${ref(c.schema, c.table)});`],
          down: [createTableLine(c.description)],
          destructive: `every row of ${shown(c.schema, c.table)} is deleted`,
          downCannot: `the down creates ${shown(c.schema, c.table)} again, empty: its rows cannot be restored`,
        });
        break;
      case 'columnAdded': {
        const add = addColumnLines(c.schema, c.table, c.column);
        steps.push({
          phase: PHASE.column,
          summary: `add column ${shown(c.schema, c.table)}.${c.column.name} ${typeText(c.column.type)}`,
          up: [add.line],
          down: [`m.dropColumn(${ref(c.schema, c.table)}, ${str(c.column.name)});`],
          notes: add.note ? [add.note] : undefined,
        });
        break;
      }
      case 'columnDropped': {
        const where = `${shown(c.schema, c.table)}.${c.column.name}`;
        const add = addColumnLines(c.schema, c.table, c.column);
        steps.push({
          phase: PHASE.column,
          summary: `drop column ${where}`,
          up: [`m.dropColumn(${ref(c.schema, c.table)}, ${str(c.column.name)}, { was: ${columnSpec(c.schema, c.table, c.column)} });`],
          down: [add.line],
          downNotes: add.note ? [add.note] : undefined,
          destructive: `the values of ${where} are deleted`,
          downCannot: `the down adds ${where} back, empty: its data cannot be restored`,
        });
        break;
      }
      case 'columnTypeChanged': {
        const { handlesDefault, ...step } = columnTypeStep(c.schema, c.table, c.from, c.to, c.destructive);
        if (handlesDefault) defaultsDone.add(`${c.schema}.${c.table}.${c.to.name}`);
        steps.push(step);
        break;
      }
      case 'nullabilityChanged': {
        const where = `${shown(c.schema, c.table)}.${c.column}`;
        const set = `m.setNotNull(${ref(c.schema, c.table)}, ${str(c.column)});`;
        const drop = `m.dropNotNull(${ref(c.schema, c.table)}, ${str(c.column)});`;
        steps.push({
          phase: PHASE.column,
          summary: `${c.nullable ? 'drop' : 'set'} not null ${where}`,
          up: [c.nullable ? drop : set],
          down: [c.nullable ? set : drop],
          destructive: c.nullable ? undefined : `fails if a row holds NULL in ${where}: fill those rows first (m.sql(sql\`UPDATE …\`) before this step)`,
          downNotes: c.nullable ? [`the down sets NOT NULL again on ${where}: it fails if rows hold NULL by then`] : undefined,
        });
        break;
      }
      case 'defaultChanged': {
        if (defaultsDone.has(`${c.schema}.${c.table}.${c.column}`)) break;
        const t = ref(c.schema, c.table);
        const set = (text: string | undefined) =>
          text === undefined ? `m.dropDefault(${t}, ${str(c.column)});` : `m.setDefault(${t}, ${str(c.column)}, ${sqlTag(text)});`;
        steps.push({
          phase: PHASE.column,
          summary: `${c.to === undefined ? 'drop default of' : 'set default of'} ${shown(c.schema, c.table)}.${c.column}${c.to === undefined ? '' : ` to ${c.to}`}`,
          up: [set(c.to)],
          down: [set(c.from)],
        });
        break;
      }
      case 'identityChanged': {
        const step = identityStep(c.schema, c.table, c.column, c.from, c.to);
        // An identity cannot be added to a column with a default (a serial's nextval): the default goes first.
        const was = live.tables.find((t) => t.schema === c.schema && t.name === c.table)?.columns.find((col) => col.name === c.column)?.default;
        if (c.from === undefined && was !== undefined) {
          defaultsDone.add(`${c.schema}.${c.table}.${c.column}`);
          const t = ref(c.schema, c.table);
          steps.push({
            ...step,
            summary: `${step.summary} (instead of its default)`,
            up: [`m.dropDefault(${t}, ${str(c.column)});`, ...step.up],
            down: [...step.down, `m.setDefault(${t}, ${str(c.column)}, ${sqlTag(was)});`],
          });
        } else steps.push(step);
        break;
      }
      case 'generatedChanged': {
        const t = ref(c.schema, c.table);
        const where = `${shown(c.schema, c.table)}.${c.to.name}`;
        steps.push({
          phase: PHASE.column,
          summary: `recreate generated column ${where}`,
          up: [`m.dropColumn(${t}, ${str(c.from.name)});`, addColumnLines(c.schema, c.table, c.to).line],
          down: [`m.dropColumn(${t}, ${str(c.to.name)});`, addColumnLines(c.schema, c.table, c.from).line],
          destructive: `a generated expression cannot be altered: ${where} is dropped and added again (the server computes its values anew)`,
        });
        break;
      }
      case 'primaryKeyChanged': {
        const t = ref(c.schema, c.table);
        const addKey = (name: string, columns: readonly string[]) =>
          `m.sql(${sqlTag(`ALTER TABLE ${tableSql(c.schema, c.table)} ADD CONSTRAINT ${q(name)} PRIMARY KEY (${columns.map((x) => q(x)).join(', ')})`)});`;
        if (c.from) {
          const name = c.from.name ?? `${c.table}_pkey`;
          steps.push({
            phase: PHASE.dropPrimaryKey,
            summary: `drop primary key ${name} of ${shown(c.schema, c.table)}`,
            up: [dropConstraint(c.schema, c.table, name)],
            down: [addKey(name, c.from.columns)],
          });
        }
        if (c.to) {
          const name = c.to.name ?? `${c.table}_pkey`;
          steps.push({
            phase: PHASE.addPrimaryKey,
            summary: `add primary key ${name} on ${shown(c.schema, c.table)} (${c.to.columns.join(', ')})`,
            up: [addKey(name, c.to.columns)],
            down: [`m.dropConstraint(${t}, ${str(name)});`],
            destructive: c.destructive ? `fails if rows of ${shown(c.schema, c.table)} repeat a key or hold NULL in it` : undefined,
          });
        }
        break;
      }
      case 'indexAdded':
      case 'indexDropped':
        steps.push(indexStep(c.schema, c.table, c.index, c.kind === 'indexAdded'));
        break;
      case 'uniqueAdded':
      case 'uniqueDropped':
        steps.push(uniqueStep(c.schema, c.table, c.unique, c.kind === 'uniqueAdded'));
        break;
      case 'checkAdded':
      case 'checkDropped':
        steps.push(checkStep(c.schema, c.table, c.check, c.kind === 'checkAdded'));
        break;
      case 'foreignKeyAdded':
      case 'foreignKeyDropped':
        steps.push(foreignKeyStep(c.schema, c.table, c.foreignKey, c.kind === 'foreignKeyAdded'));
        break;
      case 'viewAdded':
      case 'viewDropped':
      case 'viewChanged': {
        const v = c.kind === 'viewChanged' ? c.to : c.view;
        notes.push(`view ${shown(v.schema, v.name)} left alone: make does not write views (models do not know their query); write m.sql(…) by hand`);
        break;
      }
    }
  }
  // A stable sort: within a phase, the diff's order (a column's type change before its NOT NULL).
  return {
    steps: steps
      .map((s, i) => [s, i] as const)
      .sort(([a, i], [b, j]) => a.phase - b.phase || i - j)
      .map(([s]) => s),
    notes,
  };
}
