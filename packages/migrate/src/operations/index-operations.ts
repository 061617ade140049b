import { type Expressible, INDEX_METHODS, oneOf, quoteIdentifier as q } from '@pewit/query';
import { MigrationError } from './definition-error.js';
import { ddlExpression, identifier, nameSql, qualified, shown, type TableName } from './names.js';
import { ddl, type Operation, operation } from './operation.js';

/** Index methods `using` may name (the closed list of @pewit/query). */
export type IndexMethod = (typeof INDEX_METHODS)[number];
export { INDEX_METHODS };

/** Options of `addIndex`. */
export interface AddIndexOptions {
  /** The index name; default `<table>_<columns>_idx` (`_key` when unique), as `createTables` names them. */
  readonly name?: string | undefined;
  readonly unique?: boolean | undefined;
  /** A partial index: sql`deleted_at IS NULL`. */
  readonly where?: Expressible | undefined;
  readonly using?: IndexMethod | undefined;
  /**
   * `CREATE INDEX CONCURRENTLY`: does not block writes while it builds, but
   * cannot run in a transaction, so the migration must say `transaction: false`.
   */
  readonly concurrently?: boolean | undefined;
}

/** A column of an index: a column name, or an expression (then `name` is required). */
export type IndexColumn = string | Expressible;

/**
 * `CREATE [UNIQUE] INDEX [CONCURRENTLY] … ON … USING … (…) WHERE …`; its inverse drops it.
 *
 * @example
 * addIndex('posts', ['author_id', 'created_at'], { where: sql`deleted_at IS NULL` })
 * // CREATE INDEX "posts_author_id_created_at_idx" ON "posts" ("author_id", "created_at") WHERE deleted_at IS NULL
 * addIndex('docs', ['body'], { using: 'gin', name: 'docs_body_gin' })
 * // CREATE INDEX "docs_body_gin" ON "docs" USING gin ("body")
 */
export function addIndex(table: TableName, columns: readonly IndexColumn[], options: AddIndexOptions = {}): Operation {
  const t = qualified('addIndex', table);
  if (!Array.isArray(columns) || columns.length === 0) throw new MigrationError(`add index on ${shown(t)}: give at least one column`);
  const owner = `add index on ${shown(t)}`;
  const names = columns.map((c) => (typeof c === 'string' ? identifier(owner, 'column name', c) : undefined));
  if (options.name === undefined && names.includes(undefined)) throw new MigrationError(`${owner}: an index on an expression needs a name ({ name: '…' })`);
  const name = identifier(owner, 'index name', options.name ?? `${t.name}_${names.join('_')}${options.unique ? '_key' : '_idx'}`);
  const parts = columns.map((c) => (typeof c === 'string' ? q(c) : `(${ddlExpression(owner, 'index expression', c)})`));
  const using = options.using === undefined ? '' : ` USING ${oneOf(`${owner} using`, options.using, INDEX_METHODS)}`;
  const where = options.where === undefined ? '' : ` WHERE ${ddlExpression(owner, 'where', options.where)}`;
  const concurrently = options.concurrently === true;
  return operation({
    kind: 'addIndex',
    description: `add ${options.unique ? 'unique ' : ''}index ${name} on ${shown(t)}${concurrently ? ' (concurrently)' : ''}`,
    statements: [
      ddl(
        `CREATE ${options.unique ? 'UNIQUE ' : ''}INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${q(name)} ON ${nameSql(t)}${using} (${parts.join(', ')})${where}`,
      ),
    ],
    transactional: !concurrently,
    inverse: () => dropIndex({ schema: t.schema, name }, { concurrently, was: { table: t, columns, options: { ...options, name } } }),
  });
}

/** Options of `dropIndex`. */
export interface DropIndexOptions {
  readonly concurrently?: boolean | undefined;
  /** The index as it was, so a down can create it again. */
  readonly was?: { readonly table: TableName; readonly columns: readonly IndexColumn[]; readonly options?: AddIndexOptions } | undefined;
}

/**
 * `DROP INDEX [CONCURRENTLY]`. An index in a schema is named `{ schema, name }`.
 * @example dropIndex('posts_author_id_idx') // DROP INDEX "posts_author_id_idx"
 */
export function dropIndex(index: TableName, options: DropIndexOptions = {}): Operation {
  const i = qualified('dropIndex', index, 'index name');
  const concurrently = options.concurrently === true;
  const was = options.was;
  return operation({
    kind: 'dropIndex',
    description: `drop index ${shown(i)}${concurrently ? ' (concurrently)' : ''}`,
    statements: [ddl(`DROP INDEX ${concurrently ? 'CONCURRENTLY ' : ''}${nameSql(i)}`)],
    transactional: !concurrently,
    inverse: was
      ? () => addIndex(was.table, was.columns, { ...was.options, name: i.name, concurrently })
      : `drop index ${shown(i)}: pass { was: { table, columns, options } } so a down can create it again`,
  });
}
