import { referencesSql } from '@pewit/core';
import { type Expressible, quoteIdentifier as q } from '@pewit/query';
import type { ReferentialAction } from './column-spec.js';
import { MigrationError } from './definition-error.js';
import { ddlExpression, identifier, nameSql, type QualifiedName, qualified, shown, type TableName } from './names.js';
import { ddl, type Operation, operation } from './operation.js';

const columnList = (owner: string, columns: string | readonly string[]): string[] => {
  const list = typeof columns === 'string' ? [columns] : [...columns];
  if (list.length === 0) throw new MigrationError(`${owner}: give at least one column`);
  return list.map((c) => identifier(owner, 'column name', c));
};

function addConstraint(kind: string, t: QualifiedName, name: string, body: string, description: string): Operation {
  return operation({
    kind,
    description,
    statements: [ddl(`ALTER TABLE ${nameSql(t)} ADD CONSTRAINT ${q(name)} ${body}`)],
    inverse: () => dropConstraint(t, name, { was: { kind, body, description } }),
  });
}

/**
 * `ADD CONSTRAINT … UNIQUE (…)`; default name `<table>_<columns>_key`, as PostgreSQL names them.
 * @example addUnique('users', ['email']) // ALTER TABLE "users" ADD CONSTRAINT "users_email_key" UNIQUE ("email")
 */
export function addUnique(table: TableName, columns: string | readonly string[], options: { readonly name?: string | undefined } = {}): Operation {
  const t = qualified('addUnique', table);
  const owner = `add unique on ${shown(t)}`;
  const cols = columnList(owner, columns);
  const name = identifier(owner, 'constraint name', options.name ?? `${t.name}_${cols.join('_')}_key`);
  return addConstraint('addUnique', t, name, `UNIQUE (${cols.map((c) => q(c)).join(', ')})`, `add unique ${name} on ${shown(t)}`);
}

/**
 * `ADD CONSTRAINT … CHECK (…)`.
 * @example addCheck('items', 'items_price_check', sql`price >= 0`) // ALTER TABLE "items" ADD CONSTRAINT "items_price_check" CHECK (price >= 0)
 */
export function addCheck(table: TableName, name: string, expression: Expressible): Operation {
  const t = qualified('addCheck', table);
  const checked = identifier(`add check on ${shown(t)}`, 'constraint name', name);
  const owner = `add check ${checked} on ${shown(t)}`;
  return addConstraint('addCheck', t, checked, `CHECK (${ddlExpression(owner, 'check', expression)})`, owner);
}

/** Options of `addForeignKey`. */
export interface AddForeignKeyOptions {
  /** Default `<table>_<columns>_fkey`, as PostgreSQL names them. */
  readonly name?: string | undefined;
  readonly onDelete?: ReferentialAction | undefined;
  readonly onUpdate?: ReferentialAction | undefined;
}

/**
 * `ADD CONSTRAINT … FOREIGN KEY (…) REFERENCES … (…)`; the actions come from a closed list.
 * @example addForeignKey('posts', 'author_id', 'users', 'id', { onDelete: 'CASCADE' })
 * // ALTER TABLE "posts" ADD CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "users" ("id") ON DELETE CASCADE
 */
export function addForeignKey(
  table: TableName,
  columns: string | readonly string[],
  references: TableName,
  referencedColumns: string | readonly string[] = 'id',
  options: AddForeignKeyOptions = {},
): Operation {
  const t = qualified('addForeignKey', table);
  const owner = `add foreign key on ${shown(t)}`;
  const cols = columnList(owner, columns);
  const target = qualified(owner, references, 'referenced table');
  const targetCols = columnList(owner, referencedColumns);
  if (targetCols.length !== cols.length) throw new MigrationError(`${owner}: ${cols.length} column(s) cannot reference ${targetCols.length}`);
  const name = identifier(owner, 'constraint name', options.name ?? `${t.name}_${cols.join('_')}_fkey`);
  // core writes the REFERENCES clause (and checks the actions) for one column; a composite key lists its columns here.
  const clause = referencesSql({ table: nameSql(target), column: targetCols[0] as string, onDelete: options.onDelete, onUpdate: options.onUpdate }, owner);
  const refs = clause.replace(`(${q(targetCols[0] as string)})`, `(${targetCols.map((c) => q(c)).join(', ')})`);
  return addConstraint('addForeignKey', t, name, `FOREIGN KEY (${cols.map((c) => q(c)).join(', ')}) ${refs}`, `add foreign key ${name} on ${shown(t)}`);
}

/** What a dropped constraint was (its SQL body), so a down can add it again. */
export interface ConstraintDefinition {
  readonly kind: string;
  /** The constraint's SQL after its name: `UNIQUE ("email")`, `CHECK (…)`, `FOREIGN KEY …`. */
  readonly body: string;
  readonly description?: string | undefined;
}

/**
 * `DROP CONSTRAINT`. Without `was` it has no inverse (pewit does not read the
 * catalog while a migration is defined).
 * @example dropConstraint('users', 'users_email_key') // ALTER TABLE "users" DROP CONSTRAINT "users_email_key"
 */
export function dropConstraint(
  table: TableName,
  name: string,
  options: { readonly was?: ConstraintDefinition | undefined; readonly kind?: string } = {},
): Operation {
  const t = qualified('dropConstraint', table);
  const checked = identifier(`drop constraint on ${shown(t)}`, 'constraint name', name);
  const was = options.was;
  return operation({
    kind: options.kind ?? 'dropConstraint',
    description: `drop constraint ${checked} on ${shown(t)}`,
    statements: [ddl(`ALTER TABLE ${nameSql(t)} DROP CONSTRAINT ${q(checked)}`)],
    inverse: was
      ? () => addConstraint(was.kind, t, checked, was.body, was.description ?? `add constraint ${checked} on ${shown(t)}`)
      : `drop constraint ${checked} on ${shown(t)}: a down needs its definition; write the down with addUnique / addCheck / addForeignKey`,
  });
}

/**
 * `DROP CONSTRAINT` of a foreign key.
 * @example dropForeignKey('posts', 'posts_author_id_fkey') // ALTER TABLE "posts" DROP CONSTRAINT "posts_author_id_fkey"
 */
export function dropForeignKey(table: TableName, name: string): Operation {
  return dropConstraint(table, name, { kind: 'dropForeignKey' });
}
