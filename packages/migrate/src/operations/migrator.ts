import type { AnyModelClass } from '@pewit/core';
import type { Expressible } from '@pewit/query';
import {
  type AddColumnOptions,
  type AlterColumnTypeOptions,
  addColumn,
  alterColumnType,
  type DropColumnOptions,
  dropColumn,
  dropDefault,
  dropNotNull,
  renameColumn,
  setDefault,
  setNotNull,
} from './column-operations.js';
import type { ColumnSpec } from './column-spec.js';
import {
  type AddForeignKeyOptions,
  addCheck,
  addForeignKey,
  addUnique,
  type ConstraintDefinition,
  dropConstraint,
  dropForeignKey,
} from './constraint-operations.js';
import { addEnumValue, createEnum, dropEnum, type EnumValuePosition } from './enum-operations.js';
import { type AddIndexOptions, addIndex, type DropIndexOptions, dropIndex, type IndexColumn } from './index-operations.js';
import type { TableName } from './names.js';
import type { Operation } from './operation.js';
import { type SqlStepOptions, sqlStep } from './sql-operation.js';
import { type ColumnsSpec, type CreateTableOptions, createTable, type DropTableOptions, dropTable, renameTable } from './table-operations.js';

/**
 * The `m` a migration's `up(m)` and `down(m)` receive: each method records one
 * operation (nothing is sent yet) and returns it. The runner then checks the
 * list (transaction marks, destructive steps), prints it for `--dry-run`, or
 * sends it.
 *
 * @example
 * export default defineMigration({
 *   up(m) {
 *     m.addColumn('users', 'bio', { type: 'text' });          // ALTER TABLE "users" ADD COLUMN "bio" text
 *     m.addIndex('users', ['email'], { unique: true });         // CREATE UNIQUE INDEX "users_email_key" ON "users" ("email")
 *   },
 * }); // down derived: DROP INDEX "users_email_key"; ALTER TABLE "users" DROP COLUMN "bio"
 */
export class Migrator {
  readonly #operations: Operation[] = [];

  /** The operations recorded so far, in order. */
  get operations(): readonly Operation[] {
    return [...this.#operations];
  }

  /** Records an operation made elsewhere (a factory, a helper shared by migrations). */
  add(op: Operation): Operation {
    this.#operations.push(op);
    return op;
  }

  /** See `createTable`: from a model, or from a name and its columns. */
  createTable(table: TableName | AnyModelClass, columns?: ColumnsSpec, options?: CreateTableOptions): Operation {
    return this.add(createTable(table, columns, options));
  }
  dropTable(table: TableName, options?: DropTableOptions): Operation {
    return this.add(dropTable(table, options));
  }
  renameTable(table: TableName, to: string): Operation {
    return this.add(renameTable(table, to));
  }
  addColumn(table: TableName, column: string, spec: ColumnSpec, options?: AddColumnOptions): Operation {
    return this.add(addColumn(table, column, spec, options));
  }
  dropColumn(table: TableName, column: string, options?: DropColumnOptions): Operation {
    return this.add(dropColumn(table, column, options));
  }
  renameColumn(table: TableName, from: string, to: string): Operation {
    return this.add(renameColumn(table, from, to));
  }
  alterColumnType(table: TableName, column: string, type: string, options?: AlterColumnTypeOptions): Operation {
    return this.add(alterColumnType(table, column, type, options));
  }
  setNotNull(table: TableName, column: string): Operation {
    return this.add(setNotNull(table, column));
  }
  dropNotNull(table: TableName, column: string): Operation {
    return this.add(dropNotNull(table, column));
  }
  setDefault(table: TableName, column: string, expression: Expressible, options?: { from?: Expressible }): Operation {
    return this.add(setDefault(table, column, expression, options));
  }
  dropDefault(table: TableName, column: string, options?: { was?: Expressible }): Operation {
    return this.add(dropDefault(table, column, options));
  }
  addIndex(table: TableName, columns: readonly IndexColumn[], options?: AddIndexOptions): Operation {
    return this.add(addIndex(table, columns, options));
  }
  dropIndex(index: TableName, options?: DropIndexOptions): Operation {
    return this.add(dropIndex(index, options));
  }
  addUnique(table: TableName, columns: string | readonly string[], options?: { name?: string }): Operation {
    return this.add(addUnique(table, columns, options));
  }
  addCheck(table: TableName, name: string, expression: Expressible): Operation {
    return this.add(addCheck(table, name, expression));
  }
  addForeignKey(
    table: TableName,
    columns: string | readonly string[],
    references: TableName,
    referencedColumns?: string | readonly string[],
    options?: AddForeignKeyOptions,
  ): Operation {
    return this.add(addForeignKey(table, columns, references, referencedColumns, options));
  }
  dropForeignKey(table: TableName, name: string): Operation {
    return this.add(dropForeignKey(table, name));
  }
  dropConstraint(table: TableName, name: string, options?: { was?: ConstraintDefinition }): Operation {
    return this.add(dropConstraint(table, name, options));
  }
  createEnum(type: TableName, values: readonly string[]): Operation {
    return this.add(createEnum(type, values));
  }
  dropEnum(type: TableName, options?: { was?: readonly string[] }): Operation {
    return this.add(dropEnum(type, options));
  }
  addEnumValue(type: TableName, value: string, position?: EnumValuePosition): Operation {
    return this.add(addEnumValue(type, value, position));
  }
  /** A raw step, see `sqlStep`. */
  sql(statement: Expressible, options?: SqlStepOptions): Operation {
    return this.add(sqlStep(statement, options));
  }
}
