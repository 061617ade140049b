import type { ColumnDescription } from '../introspect/schema-description.js';
import type { SchemaChange } from './schema-change.js';
import { widens } from './type-widening.js';

/** A column or table that disappeared while a compatible one appeared: maybe a rename, for the user to decide. */
export type RenameCandidate =
  | { readonly kind: 'column'; readonly schema: string; readonly table: string; readonly from: string; readonly to: string }
  | { readonly kind: 'table'; readonly schema: string; readonly from: string; readonly to: string };

const compatible = (a: ColumnDescription, b: ColumnDescription) => widens(a.type, b.type);

/**
 * The pairs of a `diffSchemas` result that may be renames: in one table, a
 * dropped column and an added column whose type holds the old one's values;
 * in one schema, a dropped table and an added table with the same column
 * names. Nothing is decided here: the caller asks (`rename a → b? [y/N]`) or
 * takes `--rename`, and without an answer the drop and add stay.
 *
 * @example
 * renameCandidates(diffSchemas(live, wanted));
 * // [{ kind: 'column', schema: 'public', table: 'users', from: 'fullname', to: 'full_name' }]
 */
export function renameCandidates(changes: readonly SchemaChange[]): RenameCandidate[] {
  const out: RenameCandidate[] = [];
  for (const dropped of changes) {
    if (dropped.kind === 'columnDropped') {
      for (const added of changes)
        if (added.kind === 'columnAdded' && added.schema === dropped.schema && added.table === dropped.table && compatible(dropped.column, added.column))
          out.push({ kind: 'column', schema: dropped.schema, table: dropped.table, from: dropped.column.name, to: added.column.name });
    }
    if (dropped.kind === 'tableDropped') {
      const names = dropped.description.columns.map((c) => c.name).join('\u0000');
      for (const added of changes)
        if (added.kind === 'tableAdded' && added.schema === dropped.schema && added.description.columns.map((c) => c.name).join('\u0000') === names)
          out.push({ kind: 'table', schema: dropped.schema, from: dropped.table, to: added.table });
    }
  }
  return out;
}
