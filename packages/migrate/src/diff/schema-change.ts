import type {
  CheckDescription,
  ColumnDescription,
  EnumDescription,
  ForeignKeyDescription,
  IndexDescription,
  PrimaryKeyDescription,
  TableDescription,
  UniqueDescription,
  ViewDescription,
} from '../introspect/schema-description.js';

/** Where a table-level change applies. */
interface OnTable {
  readonly schema: string;
  readonly table: string;
}

/**
 * One difference between two schema descriptions, from `diffSchemas(from, to)`:
 * what must happen to `from` to make it `to`. `destructive` is true where
 * applying it loses data or may refuse existing rows (a dropped column or
 * table, a narrowed type, a removed enum label).
 */
export type SchemaChange =
  | { readonly kind: 'enumAdded'; readonly enum: EnumDescription; readonly destructive: false }
  | { readonly kind: 'enumDropped'; readonly enum: EnumDescription; readonly destructive: true }
  | { readonly kind: 'enumValuesAdded'; readonly enum: EnumDescription; readonly values: readonly string[]; readonly destructive: false }
  /** PostgreSQL cannot remove an enum label; the type must be rebuilt. */
  | { readonly kind: 'enumValuesRemoved'; readonly enum: EnumDescription; readonly values: readonly string[]; readonly destructive: true }
  | (OnTable & { readonly kind: 'tableAdded'; readonly description: TableDescription; readonly destructive: false })
  | (OnTable & { readonly kind: 'tableDropped'; readonly description: TableDescription; readonly destructive: true })
  | (OnTable & { readonly kind: 'columnAdded'; readonly column: ColumnDescription; readonly destructive: false })
  | (OnTable & { readonly kind: 'columnDropped'; readonly column: ColumnDescription; readonly destructive: true })
  | (OnTable & { readonly kind: 'columnTypeChanged'; readonly from: ColumnDescription; readonly to: ColumnDescription; readonly destructive: boolean })
  /** `destructive` when NOT NULL is added: rows holding NULL make it fail. */
  | (OnTable & { readonly kind: 'nullabilityChanged'; readonly column: string; readonly nullable: boolean; readonly destructive: boolean })
  | (OnTable & {
      readonly kind: 'defaultChanged';
      readonly column: string;
      readonly from?: string | undefined;
      readonly to?: string | undefined;
      readonly destructive: false;
    })
  | (OnTable & {
      readonly kind: 'identityChanged';
      readonly column: string;
      readonly from?: string | undefined;
      readonly to?: string | undefined;
      readonly destructive: false;
    })
  /** A stored generated expression cannot be altered in place: the column is dropped and added again. */
  | (OnTable & { readonly kind: 'generatedChanged'; readonly from: ColumnDescription; readonly to: ColumnDescription; readonly destructive: true })
  | (OnTable & {
      readonly kind: 'primaryKeyChanged';
      readonly from?: PrimaryKeyDescription | undefined;
      readonly to?: PrimaryKeyDescription | undefined;
      readonly destructive: boolean;
    })
  | (OnTable & { readonly kind: 'indexAdded'; readonly index: IndexDescription; readonly destructive: false })
  | (OnTable & { readonly kind: 'indexDropped'; readonly index: IndexDescription; readonly destructive: false })
  | (OnTable & { readonly kind: 'uniqueAdded'; readonly unique: UniqueDescription; readonly destructive: false })
  | (OnTable & { readonly kind: 'uniqueDropped'; readonly unique: UniqueDescription; readonly destructive: false })
  | (OnTable & { readonly kind: 'checkAdded'; readonly check: CheckDescription; readonly destructive: false })
  | (OnTable & { readonly kind: 'checkDropped'; readonly check: CheckDescription; readonly destructive: false })
  | (OnTable & { readonly kind: 'foreignKeyAdded'; readonly foreignKey: ForeignKeyDescription; readonly destructive: false })
  | (OnTable & { readonly kind: 'foreignKeyDropped'; readonly foreignKey: ForeignKeyDescription; readonly destructive: false })
  | { readonly kind: 'viewAdded'; readonly view: ViewDescription; readonly destructive: false }
  | { readonly kind: 'viewDropped'; readonly view: ViewDescription; readonly destructive: false }
  | { readonly kind: 'viewChanged'; readonly from: ViewDescription; readonly to: ViewDescription; readonly destructive: false };

/** The kinds of change, for switches and filters. */
export type SchemaChangeKind = SchemaChange['kind'];
