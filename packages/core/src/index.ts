export {
  type AliasedFragment,
  type CompiledQuery,
  compile,
  type Expressible,
  type ExtractField,
  quoteIdentifier,
  type SqlFragment,
  sql,
} from '@pewit/query';
export type { AtomicOptions, IsolationLevel } from './database/atomic-options.js';
export { connect } from './database/connect.js';
export { Database, type DatabaseOptions } from './database/database.js';
export { DatabaseProxy } from './database/database-proxy.js';
export type { ExecuteResult } from './database/decode-result.js';
export type { Connection, ConnectionIntent, Driver, RawCursor, RawResult, ResultField, ServerInfo, Statement } from './database/driver.js';
export type { DatabaseEvents, EvaluationEvent, EvaluationPath, QueryEvent } from './database/events.js';
export type { Transaction } from './database/transaction.js';
export {
  AdminShutdownError,
  CheckViolationError,
  DatabaseError,
  type DatabaseErrorDetails,
  ForeignKeyViolationError,
  IntegrityError,
  LockNotAvailableError,
  NotNullViolationError,
  OperationalError,
  ProgrammingError,
  QueryCanceledError,
  SerializationError,
  UniqueViolationError,
} from './errors/database-errors.js';
export { mapDatabaseError } from './errors/map-error.js';
export { formatParamsForMessage, type ParamsInMessages, paramsInMessages, setParamsInMessages } from './errors/params-in-messages.js';
export { redactSecrets, redactText, redactUrl } from './errors/redact-secrets.js';
export { BlockingEvaluationError, DoesNotExist, ValidationError } from './errors/usage-errors.js';
export type { EvaluationDescription } from './evaluation/description.js';
export type { Program } from './evaluation/program.js';
export { Case } from './expressions/case.js';
export {
  AliasedExpression,
  type Condition,
  type ConditionOperand,
  Expression,
  type Operand,
  Ordering,
  type TypedOperand,
} from './expressions/expression.js';
export { FunctionExpression, fn, type OverOptions } from './expressions/functions.js';
export { cube, type GroupingElement, GroupingSet, groupingSets, rollup } from './expressions/grouping.js';
export { and, exists, not, or } from './expressions/logic.js';
export { extract, interval } from './expressions/temporal.js';
export {
  type MatchOptions,
  type MatchQuery,
  phraseToTsquery,
  plainToTsquery,
  type TextSearchOperators,
  type TsQuery,
  type TsVector,
  type TsVectorExpression,
  toTsquery,
  toTsvector,
  websearchToTsquery,
} from './expressions/text-search.js';
export { Value } from './expressions/value.js';
export { type ArrayColumn, ArrayField, type ArrayOperators } from './fields/array-field.js';
export { BooleanField } from './fields/boolean-field.js';
export { ByteaField } from './fields/bytea-field.js';
export { CompositeKey, type CompositeKeySpec } from './fields/composite-key.js';
export { type CustomFieldSpec, customField, type DatabaseParameter } from './fields/custom-field.js';
export { EnumField, type EnumOptions, type EnumTypeDefinition } from './fields/enum-field.js';
export { type AnyField, Field, type FieldOptions, type PrimaryKeyBrand } from './fields/field.js';
export {
  type ForeignKey,
  ForeignKeyField,
  type ForeignKeyFieldImpl,
  type ForeignKeyOptions,
  type Key,
  type ReferentialAction,
} from './fields/foreign-key-field.js';
export { IntervalField } from './fields/interval-field.js';
export { JSONField, type JsonColumn } from './fields/json-field.js';
export type { JsonAt, JsonExpression, JsonKey, JsonOperators } from './fields/json-operators.js';
export { type ManyToMany, ManyToManyField, type ManyToManyOptions, type ThroughModel } from './fields/many-to-many-field.js';
export { CidrField, InetField } from './fields/network-fields.js';
export {
  AutoField,
  BigAutoField,
  BigIntegerField,
  DecimalField,
  type DecimalOptions,
  FloatField,
  IntegerField,
  SmallIntegerField,
} from './fields/numeric-fields.js';
export { DateField, DateTimeField, TimeField } from './fields/temporal-fields.js';
export { CharField, type CharOptions, CITextField, FixedCharField, type FixedCharOptions, TextField, UUIDField } from './fields/text-fields.js';
export { type TSVectorColumn, TSVectorField } from './fields/tsvector-field.js';
export { withThroughModels } from './links/many-to-many.js';
export type { ModelAlias } from './links/model-alias.js';
export type { PrefetchItem } from './links/prefetch-program.js';
export type { IndexMethod, IndexSpec, ModelMeta, ModelOptions, TableConstraint } from './meta/model-meta.js';
/** Symbol-keyed slots of models and instances; exported so declaration files of user code can name them. */
export { DIRTY, FIELDS, PERSISTED, PRIMARY_KEY, RELATED, VALUES } from './meta/symbols.js';
export { model } from './model/define-model.js';
export { Model } from './model/model.js';
export type { DeleteInstanceOptions } from './model/persistence.js';
export type {
  AnyModelClass,
  CompositeKeyNames,
  FieldShape,
  FieldShapes,
  FieldsOf,
  FieldValues,
  ForeignKeyBrand,
  ForeignKeyMark,
  InModel,
  InsertData,
  InsertValues,
  KeyOf,
  ModelClass,
  ModelInstance,
  PrimaryKeyValue,
  RawValueOf,
  SelfModel,
  UpdateData,
  WriteExpression,
} from './model/types.js';
export { type BulkUpdateOptions, BulkUpdateQuery } from './query/bulk-update-query.js';
export { CompoundQuery } from './query/compound-query.js';
export { Cte, type CteOptions, cte, DerivedTable, recursiveCte, SourceColumn, type SourceColumns, Subquery } from './query/derived-table.js';
export { InsertFromQuery } from './query/insert-from-query.js';
export type { RowSource } from './query/row-source.js';
export type { DictRow, JoinedRow, SelectedValue, TupleRow } from './query/row-types.js';
export type { JoinOptions } from './query/select-query.js';
export { SelectQuery } from './query/select-query.js';
export type { Selectable } from './query/selection.js';
export type { IteratorOptions } from './query/stream.js';
export { DeleteQuery, excluded, type FromItem, type InsertManyOptions, InsertQuery, type OnConflictOptions, UpdateQuery } from './query/write-queries.js';
export { LoadedQuery } from './relations/loaded-query.js';
export { type ManyToManyAddOptions, type ManyToManyItems, ManyToManyQuery } from './relations/many-to-many-query.js';
export { prefetch, prefetchSync } from './relations/prefetch.js';
// The DDL of models, for @pewit/migrate (its createTable writes a model's table exactly as createTables does).
export {
  type ColumnDdl,
  columnDefinitionSql,
  createIndexesSql,
  createTableSql,
  type ReferencesDdl,
  referencesSql,
  type TruncateOptions,
  tableRef,
} from './schema/ddl.js';
export { createEnumTypeSql, enumLabelSql } from './schema/enum-types.js';
export type { CreateTablesOptions, DropTablesOptions } from './schema/schema-programs.js';
