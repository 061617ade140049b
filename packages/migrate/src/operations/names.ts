import { compile, type Expressible, quoteIdentifier as q } from '@pewit/query';
import { MigrationError } from './definition-error.js';

/**
 * A table (or type, or index) as operations take it: a name, `{ schema, name }`,
 * or a model class (its table and schema). A plain string is one name, never
 * split at dots: `'app.users'` is a table whose name contains a dot.
 *
 * @example addColumn({ schema: 'app', name: 'users' }, 'bio', { type: 'text' }) // ALTER TABLE "app"."users" …
 */
export type TableName =
  | string
  | { readonly schema?: string | undefined; readonly name: string }
  | { readonly _meta: { readonly table: string; readonly schema?: string | undefined } };

/** A resolved name. */
export interface QualifiedName {
  readonly schema: string | undefined;
  readonly name: string;
}

function checkName(owner: string, what: string, name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) throw new MigrationError(`${owner}: the ${what} must be a non-empty string, not ${String(name)}`);
  if (name.length > 63) throw new MigrationError(`${owner}: the ${what} ${JSON.stringify(name)} is longer than PostgreSQL's 63-byte identifiers`);
  return name;
}

export function qualified(owner: string, table: TableName, what = 'table name'): QualifiedName {
  if (typeof table === 'string') return { schema: undefined, name: checkName(owner, what, table) };
  if (typeof table === 'object' && table !== null && '_meta' in table) return { schema: table._meta.schema, name: table._meta.table };
  if (typeof table === 'object' && table !== null && 'name' in table) {
    return { schema: table.schema === undefined ? undefined : checkName(owner, 'schema name', table.schema), name: checkName(owner, what, table.name) };
  }
  throw new MigrationError(`${owner}: expected a ${what}, { schema, name } or a model, not ${String(table)}`);
}

/** A column (or constraint, or index) name: a non-empty string. */
export const identifier = (owner: string, what: string, name: unknown): string => checkName(owner, what, name);

/** The name as SQL: quoted, schema-qualified when it has a schema. */
export const nameSql = (n: QualifiedName): string => (n.schema ? `${q(n.schema)}.${q(n.name)}` : q(n.name));

/** The name as people read it, in descriptions and errors. */
export const shown = (n: QualifiedName): string => (n.schema ? `${n.schema}.${n.name}` : n.name);

/**
 * SQL the developer wrote for DDL (a default, a check, an index predicate, a
 * USING conversion). DDL takes no parameters, so an interpolated value is
 * refused with the operation's name rather than failing at the server.
 */
export function ddlExpression(owner: string, option: string, expression: Expressible): string {
  if (typeof expression !== 'object' || expression === null || typeof expression.toNode !== 'function')
    throw new MigrationError(`${owner}: ${option} must be a sql\`…\` fragment, not ${typeof expression}`);
  const { text, values } = compile(expression.toNode());
  if (values.length > 0)
    throw new MigrationError(
      `${owner}: the ${option} sql\`${text}\` has ${values.length} interpolated value(s), but DDL takes no parameters; write the constant into the SQL text`,
    );
  return text;
}
