import type { ReferentialAction } from '../operations/column-spec.js';
/**
 * A database schema as plain data: what `introspectDatabase` reads from
 * pg_catalog and what `schemaOfModels` derives from pewit models, in the same
 * normal form, so `diffSchemas` can compare the two.
 *
 * Types are written as the catalog's `format_type` writes them for built-in
 * types (`character varying(50)`, `timestamp with time zone`, `numeric(10,2)`,
 * `integer[]`) and as `schema.name` (quoted where needed) for user types
 * (enums, domains, composites, extension types).
 *
 * @example
 * const description = await introspectDatabase(db, { schemas: ['public'] });
 * description.tables.find((t) => t.name === 'users')?.columns[0];
 * // { name: 'id', type: 'integer', nullable: false, default: "nextval('users_id_seq'::regclass)", … }
 */
export interface SchemaDescription {
  /** The schemas described, in the order asked for. */
  readonly schemas: readonly string[];
  readonly enums: readonly EnumDescription[];
  readonly tables: readonly TableDescription[];
  readonly views: readonly ViewDescription[];
  /** Partitions of partitioned tables (`schema.name`): described through their parent, not as tables of their own. */
  readonly partitions: readonly string[];
}

export interface EnumDescription {
  readonly schema: string;
  readonly name: string;
  /** Labels in their sort order (`enumsortorder`). */
  readonly values: readonly string[];
}

/** What kind of type a column has, so the generator knows what field to write. */
export type TypeKind = 'base' | 'enum' | 'domain' | 'composite' | 'range' | 'multirange' | 'pseudo';

export interface ColumnDescription {
  readonly name: string;
  /** The type, normalised (see SchemaDescription), arrays with `[]`. */
  readonly type: string;
  /** The kind of the type, or of the element type for an array. */
  readonly typeKind: TypeKind;
  /** The element type of an array column (normalised like `type`), else undefined. */
  readonly elementType?: string | undefined;
  /** For a domain (or an array of one): the domain's base type, normalised. */
  readonly baseType?: string | undefined;
  readonly nullable: boolean;
  /** The default expression as `pg_get_expr` writes it (`'x'::text`, `now()`), else undefined. */
  readonly default?: string | undefined;
  readonly identity?: 'always' | 'by default' | undefined;
  /** The expression of a stored generated column, as `pg_get_expr` writes it. */
  readonly generated?: string | undefined;
}

export interface PrimaryKeyDescription {
  /** The constraint's name (pewit cannot name it; the server's default is `<table>_pkey`). */
  readonly name?: string | undefined;
  readonly columns: readonly string[];
}

export interface UniqueDescription {
  readonly name?: string | undefined;
  readonly columns: readonly string[];
}

export interface CheckDescription {
  readonly name?: string | undefined;
  /** The expression as `pg_get_expr` writes it: `(likes >= 0)`. */
  readonly expression: string;
  /** The columns it reads (the catalog's `conkey`). */
  readonly columns: readonly string[];
}

/** The referential actions of PostgreSQL, as pewit's ForeignKeyField spells them. */
// The actions a catalog can hold are the ones migrations may write: one list, in operations/column-spec.ts.

export interface ForeignKeyDescription {
  readonly name?: string | undefined;
  readonly columns: readonly string[];
  readonly referencedSchema: string;
  readonly referencedTable: string;
  readonly referencedColumns: readonly string[];
  readonly onDelete: ReferentialAction;
  readonly onUpdate: ReferentialAction;
}

/** One key of an index: a column, or an expression as `pg_get_indexdef` writes it. */
export type IndexKey = { readonly column: string } | { readonly expression: string };

export interface IndexDescription {
  readonly name: string;
  readonly keys: readonly IndexKey[];
  readonly unique: boolean;
  /** `btree`, `gin`, `gist`, `brin`, `hash`, `spgist`, or an extension's method. */
  readonly method: string;
  /** The predicate of a partial index, as `pg_get_expr` writes it. */
  readonly where?: string | undefined;
}

export interface TableDescription {
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly ColumnDescription[];
  readonly primaryKey?: PrimaryKeyDescription | undefined;
  readonly uniques: readonly UniqueDescription[];
  readonly checks: readonly CheckDescription[];
  readonly foreignKeys: readonly ForeignKeyDescription[];
  /** Indexes that are not the index of the primary key or of a unique constraint. */
  readonly indexes: readonly IndexDescription[];
  /** Exclusion constraints as `pg_get_constraintdef` writes them: pewit models cannot declare them. */
  readonly exclusions: readonly string[];
  /** True for a partitioned table (`PARTITION BY`): pewit models cannot declare one. */
  readonly partitioned: boolean;
}

export interface ViewDescription {
  readonly schema: string;
  readonly name: string;
  readonly materialized: boolean;
  readonly columns: readonly ColumnDescription[];
  /** The query as `pg_get_viewdef` writes it; undefined where it is not known (a read-only model). */
  readonly definition?: string | undefined;
}
