import type { AliasNode, CastNode } from './alias.js';
import type { CaseNode } from './case.js';
import type { DeleteNode } from './delete.js';
import type { FunctionNode, WindowNode } from './function.js';
import type { ColumnNode, StarNode, TableNode } from './identifier.js';
import type { InsertNode } from './insert.js';
import type { JoinNode } from './join.js';
import type { ListNode } from './list.js';
import type { BinaryNode, LogicalNode, UnaryNode } from './operator.js';
import type { OrderByNode } from './order-by.js';
import type { SelectNode } from './select.js';
import type { CompoundSelectNode } from './set-operation.js';
import type { UpdateNode } from './update.js';
import type { RawNode, ValueNode } from './value.js';

/**
 * Every node of the SQL tree. Nodes are frozen plain objects discriminated by
 * `kind`; builders never mutate one, they create a new one.
 */
export type Node =
  | AliasNode
  | BinaryNode
  | CaseNode
  | CastNode
  | ColumnNode
  | CompoundSelectNode
  | DeleteNode
  | FunctionNode
  | InsertNode
  | JoinNode
  | ListNode
  | LogicalNode
  | OrderByNode
  | RawNode
  | SelectNode
  | StarNode
  | TableNode
  | UnaryNode
  | UpdateNode
  | ValueNode
  | WindowNode;

/** A node that can stand where SQL expects a query (FROM, IN, EXISTS, CTE body). */
export type QueryNode = SelectNode | CompoundSelectNode | InsertNode | UpdateNode | DeleteNode | RawNode;

/** Freezes a node so accidental mutation throws in strict mode. */
export function freeze<T extends object>(node: T): Readonly<T> {
  return Object.freeze(node);
}

/** True when `value` is a pewit SQL node. */
export function isNode(value: unknown): value is Node {
  return (
    typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string' && NODE_KINDS.has((value as { kind: string }).kind)
  );
}

const NODE_KINDS = new Set<string>([
  'alias',
  'binary',
  'case',
  'cast',
  'column',
  'compound',
  'delete',
  'function',
  'insert',
  'join',
  'list',
  'logical',
  'orderBy',
  'raw',
  'select',
  'star',
  'table',
  'unary',
  'update',
  'value',
  'window',
]);
