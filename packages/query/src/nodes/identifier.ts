import { freeze } from './node.js';

/** A table reference: `"schema"."name" AS "alias"`. */
export interface TableNode {
  readonly kind: 'table';
  readonly name: string;
  readonly schema?: string | undefined;
  readonly alias?: string | undefined;
}

/** A column reference, optionally qualified by a table name or alias: `"t"."c"`. */
export interface ColumnNode {
  readonly kind: 'column';
  readonly name: string;
  readonly table?: string | undefined;
}

/** `*` or `"t".*`. */
export interface StarNode {
  readonly kind: 'star';
  readonly table?: string | undefined;
}

export function table(name: string, options: { schema?: string | undefined; alias?: string | undefined } = {}): TableNode {
  return freeze({ kind: 'table', name, schema: options.schema, alias: options.alias });
}

export function column(name: string, tableName?: string): ColumnNode {
  return freeze({ kind: 'column', name, table: tableName });
}

export function star(tableName?: string): StarNode {
  return freeze({ kind: 'star', table: tableName });
}
