export {
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
export { type ColumnSpec, REFERENTIAL_ACTIONS, type ReferencesSpec, type ReferentialAction } from './column-spec.js';
export {
  type AddForeignKeyOptions,
  addCheck,
  addForeignKey,
  addUnique,
  type ConstraintDefinition,
  dropConstraint,
  dropForeignKey,
} from './constraint-operations.js';
export { MigrationError } from './definition-error.js';
export { addEnumValue, createEnum, dropEnum, type EnumValuePosition } from './enum-operations.js';
export { type AddIndexOptions, addIndex, type DropIndexOptions, dropIndex, INDEX_METHODS, type IndexColumn, type IndexMethod } from './index-operations.js';
export { Migrator } from './migrator.js';
export type { QualifiedName, TableName } from './names.js';
export type { Guard, Operation, Statement } from './operation.js';
export { type SqlStepOptions, sqlStep } from './sql-operation.js';
export { type ColumnsSpec, type CreateTableOptions, createTable, type DropTableOptions, dropTable, renameTable } from './table-operations.js';
