import { quoteIdentifier as q } from '@pewit/query';
import type { RenameCandidate } from '../diff/rename-candidates.js';
import type { SchemaDescription, TableDescription } from '../introspect/schema-description.js';
import { MigrationError } from '../operations/definition-error.js';
import { type MigrationStep, PHASE } from './migration-step.js';
import { ref, sequenceOf, sqlTag, str } from './source-text.js';

const shown = (schema: string, name: string) => (schema === 'public' ? name : `${schema}.${name}`);

/**
 * A candidate as `--rename` spells it: table.column:table.column, or old_table:new_table (schema-qualified outside public).
 * @example renameSpelling({ kind: 'table', schema: 'public', from: 'loans', to: 'borrowings' }) // 'loans:borrowings'
 */
export function renameSpelling(c: RenameCandidate): string {
  return c.kind === 'column'
    ? `${shown(c.schema, c.table)}.${c.from}:${shown(c.schema, c.table)}.${c.to}`
    : `${shown(c.schema, c.from)}:${shown(c.schema, c.to)}`;
}

/**
 * The question `pewit migrate make` asks about a candidate (and `ask` receives).
 * @example renameQuestion({ kind: 'column', schema: 'public', table: 'users', from: 'fullname', to: 'full_name' }) // 'rename users.fullname → users.full_name?'
 */
export const renameQuestion = (c: RenameCandidate): string => `rename ${renameSpelling(c).replace(':', ' → ')}?`;

/**
 * Checks `--rename` values against the candidates of the diff and returns the
 * ones they pick. A malformed value, or one that names no candidate (a column
 * that is not dropped, a target that is not added, types that do not fit), is
 * an error listing what could be renamed, before anything is written.
 *
 * @example pickRenames(['users.fullname:users.full_name'], candidates) // [{ kind: 'column', table: 'users', from: 'fullname', to: 'full_name', … }]
 */
export function pickRenames(values: readonly string[], candidates: readonly RenameCandidate[]): RenameCandidate[] {
  const offered = candidates.map(renameSpelling);
  const list = offered.length ? `the rename candidates are: ${offered.join(', ')}` : 'no column or table disappears while a compatible one appears';
  return values.map((value) => {
    const parts = value.split(':');
    if (parts.length !== 2 || parts.some((p) => p === '' || p.startsWith('.') || p.endsWith('.')))
      throw new MigrationError(`--rename ${value}: write old:new, as table.column:table.column (users.fullname:users.full_name) or old_table:new_table`);
    const i = offered.indexOf(value);
    const picked = candidates[i];
    if (picked === undefined) throw new MigrationError(`--rename ${value}: not a rename the models allow; ${list}`);
    return picked;
  });
}

/** Whether two picked renames clash (one column renamed twice, two columns renamed to one). */
export function clashes(a: RenameCandidate, b: RenameCandidate): boolean {
  if (a.kind !== b.kind || a.schema !== b.schema) return false;
  if (a.kind === 'column' && b.kind === 'column' && a.table !== b.table) return false;
  return a.from === b.from || a.to === b.to;
}

const replaceName = (text: string, from: string, to: string) =>
  text.replace(new RegExp(`(?<![A-Za-z0-9_$"])${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9_$"])`, 'g'), to).replaceAll(q(from), q(to));

function renameColumnIn(t: TableDescription, from: string, to: string): TableDescription {
  const col = (c: string) => (c === from ? to : c);
  const expr = (e: string) => replaceName(e, from, to);
  return {
    ...t,
    columns: t.columns.map((c) => (c.name === from ? { ...c, name: to } : c)),
    primaryKey: t.primaryKey && { ...t.primaryKey, columns: t.primaryKey.columns.map(col) },
    uniques: t.uniques.map((u) => ({ ...u, columns: u.columns.map(col) })),
    checks: t.checks.map((c) => ({ ...c, columns: c.columns.map(col), expression: expr(c.expression) })),
    foreignKeys: t.foreignKeys.map((fk) => ({ ...fk, columns: fk.columns.map(col) })),
    indexes: t.indexes.map((i) => ({
      ...i,
      keys: i.keys.map((k) => ('column' in k ? { column: col(k.column) } : { expression: expr(k.expression) })),
      ...(i.where === undefined ? {} : { where: expr(i.where) }),
    })),
  };
}

/**
 * The live schema as it will be once the renames ran (the server carries
 * keys, constraints, indexes and references over to the new names), and the
 * steps that rename: `renameTable` / `renameColumn`, and the sequence of a
 * serial column whose name follows its table's, so its default matches the models.
 */
export function applyRenames(
  live: SchemaDescription,
  wanted: SchemaDescription,
  renames: readonly RenameCandidate[],
): { live: SchemaDescription; steps: MigrationStep[] } {
  let tables = [...live.tables];
  const steps: MigrationStep[] = [];
  for (const r of renames) {
    if (r.kind === 'table') {
      tables = tables.map((t) => {
        const renamed = t.schema === r.schema && t.name === r.from ? { ...t, name: r.to } : t;
        return {
          ...renamed,
          foreignKeys: renamed.foreignKeys.map((fk) =>
            fk.referencedSchema === r.schema && fk.referencedTable === r.from ? { ...fk, referencedTable: r.to } : fk,
          ),
        };
      });
      steps.push({
        phase: PHASE.rename,
        summary: `rename table ${shown(r.schema, r.from)} → ${r.to}`,
        up: [`m.renameTable(${ref(r.schema, r.from)}, ${str(r.to)});`],
        down: [`m.renameTable(${ref(r.schema, r.to)}, ${str(r.from)});`],
      });
    } else {
      tables = tables.map((t) => {
        const own = t.schema === r.schema && t.name === r.table ? renameColumnIn(t, r.from, r.to) : t;
        return {
          ...own,
          foreignKeys: own.foreignKeys.map((fk) =>
            fk.referencedSchema === r.schema && fk.referencedTable === r.table
              ? { ...fk, referencedColumns: fk.referencedColumns.map((c) => (c === r.from ? r.to : c)) }
              : fk,
          ),
        };
      });
      steps.push({
        phase: PHASE.rename,
        summary: `rename column ${shown(r.schema, r.table)}.${r.from} → ${r.to}`,
        up: [`m.renameColumn(${ref(r.schema, r.table)}, ${str(r.from)}, ${str(r.to)});`],
        down: [`m.renameColumn(${ref(r.schema, r.table)}, ${str(r.to)}, ${str(r.from)});`],
      });
    }
  }
  // A serial column keeps its sequence's old name through a rename; the models expect <table>_<column>_seq.
  const touched = new Set(renames.map((r) => `${r.schema}.${r.kind === 'table' ? r.to : r.table}`));
  tables = tables.map((t) => {
    if (!touched.has(`${t.schema}.${t.name}`)) return t;
    const target = wanted.tables.find((w) => w.schema === t.schema && w.name === t.name);
    return {
      ...t,
      columns: t.columns.map((c) => {
        const want = target?.columns.find((w) => w.name === c.name)?.default;
        const [from, to] = [sequenceOf(c.default), sequenceOf(want)];
        if (from === undefined || to === undefined || from === to || want === undefined) return c;
        const bare = (s: string) => s.slice(s.lastIndexOf('.') + 1);
        steps.push({
          phase: PHASE.rename,
          summary: `rename sequence ${from} → ${bare(to)}`,
          up: [`m.sql(${sqlTag(`ALTER SEQUENCE ${from} RENAME TO ${bare(to)}`)});`],
          down: [`m.sql(${sqlTag(`ALTER SEQUENCE ${to} RENAME TO ${bare(from)}`)});`],
        });
        return { ...c, default: want };
      }),
    };
  });
  return { live: { ...live, tables }, steps };
}
