export { compile } from './compiler/compile.js';
export type { CompiledQuery } from './compiler/compiled-query.js';
export { CompileContext } from './compiler/context.js';
export { quoteIdentifier } from './compiler/quote.js';
export { type AliasNode, alias, type CastNode, cast } from './nodes/alias.js';
export { type CaseNode, caseWhen } from './nodes/case.js';
export { type CollateNode, collate } from './nodes/collate.js';
export { type CteSpec, type WithClause, withClause } from './nodes/cte.js';
export { type DeleteNode, deleteStatement } from './nodes/delete.js';
export { type ExtractField, type ExtractNode, extract } from './nodes/extract.js';
export { checkFrame, type FrameSpec, type FunctionNode, fn, type WindowNode, windowSpec } from './nodes/function.js';
export { type GroupingKind, type GroupingSetNode, groupingSet } from './nodes/grouping.js';
export { type ColumnNode, column, type StarNode, star, type TableNode, table } from './nodes/identifier.js';
export { type InsertNode, insertStatement, type OnConflictClause, onConflictClause } from './nodes/insert.js';
export { type JoinNode, type JoinType, join } from './nodes/join.js';
export {
  BINARY_OPERATORS,
  type BinaryOperator,
  checkFunctionName,
  checkTypeName,
  EXTRACT_FIELDS,
  FRAME_EXCLUSIONS,
  FRAME_TYPES,
  GROUPING_KINDS,
  INDEX_METHODS,
  JOIN_SEPARATORS,
  JOIN_TYPES,
  LOCK_STRENGTHS,
  LOCK_WAITS,
  NULLS_ORDERINGS,
  oneOf,
  REFERENTIAL_ACTIONS,
  SET_OPERATORS,
  UNARY_OPERATORS,
  type UnaryOperator,
} from './nodes/keywords.js';
export { type ListNode, list } from './nodes/list.js';
export { freeze, isNode, NODE_KINDS, type Node, type QueryNode } from './nodes/node.js';
export { type BinaryNode, binary, type LogicalNode, logical, type UnaryNode, unary } from './nodes/operator.js';
export { type OrderByNode, orderBy } from './nodes/order-by.js';
export { EMPTY_SELECT, type LockClause, lockClause, type SelectNode, selectStatement, updateSelect } from './nodes/select.js';
export { type CompoundSelectNode, compound, type SetOperator } from './nodes/set-operation.js';
export { type UpdateNode, updateStatement } from './nodes/update.js';
export { type RawNode, raw, type ValueNode, value } from './nodes/value.js';
export { type AliasedFragment, type Expressible, isExpressible, type SqlFragment, sql, toNode } from './sql-tag.js';
