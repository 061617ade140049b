import { checkTypeName, type Expressible, quoteIdentifier as q, sql } from '@pewit/query';
import { type ColumnSpec, columnSql, fillsExistingRows } from './column-spec.js';
import { MigrationError } from './definition-error.js';
import { ddlExpression, identifier, nameSql, qualified, shown, type TableName } from './names.js';
import { ddl, type Guard, type Operation, operation, statementOf } from './operation.js';

/** Options of `addColumn`. */
export interface AddColumnOptions {
  /**
   * Fills the new column on rows that exist before NOT NULL is set: the column
   * is added nullable, `UPDATE … SET column = backfill` runs, then
   * `SET NOT NULL`. May reference other columns and hold parameters.
   */
  readonly backfill?: Expressible | undefined;
}

const alter = (table: string, action: string) => ddl(`ALTER TABLE ${table} ${action}`);

/** A guard that refuses when the table has any row. */
function emptyTableGuard(table: string, refusal: string): Guard {
  return { query: statementOf(sql.unsafe(`SELECT EXISTS (SELECT 1 FROM ${table}) AS "found"`)), describes: `${table} has no rows`, refusal };
}

/**
 * `ALTER TABLE … ADD COLUMN`. A NOT NULL column needs a value on the rows that
 * exist: a `default`, an identity, or a `backfill`. Without one the runner checks
 * the table first and refuses (naming the column) when it has rows, rather
 * than letting PostgreSQL fail halfway through a migration.
 *
 * @example
 * addColumn('users', 'email', { type: 'text', notNull: true }, { backfill: sql`username || '@example.com'` })
 * // ALTER TABLE "users" ADD COLUMN "email" text
 * // UPDATE "users" SET "email" = username || '@example.com'
 * // ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL
 */
export function addColumn(table: TableName, column: string, spec: ColumnSpec, options: AddColumnOptions = {}): Operation {
  const t = qualified('addColumn', table);
  const name = identifier('addColumn', 'column name', column);
  const owner = `add column ${shown(t)}.${name}`;
  const backfill = options.backfill;
  const notNull = spec.notNull === true && !spec.primaryKey;
  const statements = [alter(nameSql(t), `ADD COLUMN ${columnSql(owner, name, spec, { notNull: notNull && backfill === undefined })}`)];
  const guards: Guard[] = [];
  if (backfill !== undefined) {
    statements.push(statementOf(sql`UPDATE ${sql.unsafe(nameSql(t))} SET ${sql.identifier(name)} = ${backfill}`));
    if (notNull) statements.push(alter(nameSql(t), `ALTER COLUMN ${q(name)} SET NOT NULL`));
  } else if (notNull && !fillsExistingRows(spec)) {
    guards.push(
      emptyTableGuard(
        nameSql(t),
        `${owner}: NOT NULL without a default on a table that has rows; give it a default (default: sql\`…\`), or fill the rows that exist with addColumn(…, { backfill: sql\`…\` })`,
      ),
    );
  }
  return operation({
    kind: 'addColumn',
    description: owner,
    statements,
    guards,
    inverse: () => dropColumn(t, name, { was: spec }),
  });
}

/** Options of `dropColumn`. */
export interface DropColumnOptions {
  /** The column as it was, so `down` can add it back (empty: its data is gone). */
  readonly was?: ColumnSpec | undefined;
  readonly cascade?: boolean | undefined;
}

/**
 * `ALTER TABLE … DROP COLUMN`: destructive, the column's data is gone. With
 * `was` it has an inverse that adds the column back, without its data.
 *
 * @example dropColumn('users', 'bio', { was: { type: 'text' } }) // ALTER TABLE "users" DROP COLUMN "bio"
 */
export function dropColumn(table: TableName, column: string, options: DropColumnOptions = {}): Operation {
  const t = qualified('dropColumn', table);
  const name = identifier('dropColumn', 'column name', column);
  const was = options.was;
  return operation({
    kind: 'dropColumn',
    description: `drop column ${shown(t)}.${name}`,
    statements: [alter(nameSql(t), `DROP COLUMN ${q(name)}${options.cascade ? ' CASCADE' : ''}`)],
    destructive: `the values of ${shown(t)}.${name} are deleted; a down adds the column back empty`,
    inverse: was ? () => addColumn(t, name, was) : `drop column ${shown(t)}.${name}: pass { was: { type: … } } so a down can add the column back`,
  });
}

/**
 * `ALTER TABLE … RENAME COLUMN`; its inverse renames it back.
 * @example renameColumn('users', 'fullname', 'full_name') // ALTER TABLE "users" RENAME COLUMN "fullname" TO "full_name"
 */
export function renameColumn(table: TableName, from: string, to: string): Operation {
  const t = qualified('renameColumn', table);
  const a = identifier('renameColumn', 'column name', from);
  const b = identifier('renameColumn', 'new column name', to);
  return operation({
    kind: 'renameColumn',
    description: `rename column ${shown(t)}.${a} to ${b}`,
    statements: [alter(nameSql(t), `RENAME COLUMN ${q(a)} TO ${q(b)}`)],
    inverse: () => renameColumn(t, b, a),
  });
}

/** Options of `alterColumnType`. */
export interface AlterColumnTypeOptions {
  /** How old values become new ones: sql`"price"::numeric(10, 2)`. */
  readonly using?: Expressible | undefined;
  /** The type before, so a down can change it back. */
  readonly from?: string | undefined;
  /** The conversion back, for the down. */
  readonly fromUsing?: Expressible | undefined;
}

const typeName = (owner: string, type: unknown) => {
  try {
    return checkTypeName(owner, type);
  } catch (error) {
    throw new MigrationError((error as Error).message);
  }
};

/**
 * `ALTER TABLE … ALTER COLUMN … TYPE … USING …`. Flagged destructive: a
 * narrower type (varchar(100) → varchar(20), numeric → integer) truncates,
 * rounds or fails on the values stored, and a down cannot bring back what was cut.
 *
 * @example alterColumnType('items', 'price', 'numeric(10, 2)', { using: sql`price::numeric(10, 2)`, from: 'integer' })
 * // ALTER TABLE "items" ALTER COLUMN "price" TYPE numeric(10, 2) USING price::numeric(10, 2)
 */
export function alterColumnType(table: TableName, column: string, type: string, options: AlterColumnTypeOptions = {}): Operation {
  const t = qualified('alterColumnType', table);
  const name = identifier('alterColumnType', 'column name', column);
  const owner = `alter column ${shown(t)}.${name} type`;
  const checked = typeName(owner, type);
  const using = options.using === undefined ? '' : ` USING ${ddlExpression(owner, 'using', options.using)}`;
  const from = options.from;
  return operation({
    kind: 'alterColumnType',
    description: `${owner} to ${checked}`,
    statements: [alter(nameSql(t), `ALTER COLUMN ${q(name)} TYPE ${checked}${using}`)],
    destructive: `the values of ${shown(t)}.${name} are converted to ${checked}; a narrower type loses what does not fit`,
    inverse:
      from === undefined
        ? `${owner}: pass { from: '<old type>' } so a down can change it back`
        : () => alterColumnType(t, name, from, { using: options.fromUsing, from: checked, fromUsing: options.using }),
  });
}

/**
 * `SET NOT NULL`; fails (and the migration rolls back) when a row holds NULL.
 * @example setNotNull('users', 'email') // ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL
 */
export function setNotNull(table: TableName, column: string): Operation {
  const t = qualified('setNotNull', table);
  const name = identifier('setNotNull', 'column name', column);
  return operation({
    kind: 'setNotNull',
    description: `set not null ${shown(t)}.${name}`,
    statements: [alter(nameSql(t), `ALTER COLUMN ${q(name)} SET NOT NULL`)],
    inverse: () => dropNotNull(t, name),
  });
}

/** @example dropNotNull('users', 'email') // ALTER TABLE "users" ALTER COLUMN "email" DROP NOT NULL */
export function dropNotNull(table: TableName, column: string): Operation {
  const t = qualified('dropNotNull', table);
  const name = identifier('dropNotNull', 'column name', column);
  return operation({
    kind: 'dropNotNull',
    description: `drop not null ${shown(t)}.${name}`,
    statements: [alter(nameSql(t), `ALTER COLUMN ${q(name)} DROP NOT NULL`)],
    inverse: () => setNotNull(t, name),
  });
}

/**
 * `SET DEFAULT`. Its inverse sets `from` back, or, without `from`, drops the
 * default (the column had none before).
 *
 * @example setDefault('users', 'created_at', sql`now()`) // ALTER TABLE "users" ALTER COLUMN "created_at" SET DEFAULT now()
 */
export function setDefault(table: TableName, column: string, expression: Expressible, options: { readonly from?: Expressible | undefined } = {}): Operation {
  const t = qualified('setDefault', table);
  const name = identifier('setDefault', 'column name', column);
  const owner = `set default ${shown(t)}.${name}`;
  const text = ddlExpression(owner, 'default', expression);
  const from = options.from;
  return operation({
    kind: 'setDefault',
    description: owner,
    statements: [alter(nameSql(t), `ALTER COLUMN ${q(name)} SET DEFAULT ${text}`)],
    inverse: from === undefined ? () => dropDefault(t, name, { was: expression }) : () => setDefault(t, name, from, { from: expression }),
  });
}

/**
 * `DROP DEFAULT`; with `was` its inverse sets that default again.
 * @example dropDefault('users', 'created_at', { was: sql`now()` }) // ALTER TABLE "users" ALTER COLUMN "created_at" DROP DEFAULT
 */
export function dropDefault(table: TableName, column: string, options: { readonly was?: Expressible | undefined } = {}): Operation {
  const t = qualified('dropDefault', table);
  const name = identifier('dropDefault', 'column name', column);
  const was = options.was;
  return operation({
    kind: 'dropDefault',
    description: `drop default ${shown(t)}.${name}`,
    statements: [alter(nameSql(t), `ALTER COLUMN ${q(name)} DROP DEFAULT`)],
    inverse: was === undefined ? `drop default ${shown(t)}.${name}: pass { was: sql\`…\` } so a down can set it again` : () => setDefault(t, name, was),
  });
}
