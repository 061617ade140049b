import type { AliasNode, CastNode } from './alias.js';
import type { CaseNode } from './case.js';
import type { CollateNode } from './collate.js';
import type { DeleteNode } from './delete.js';
import type { ExtractNode } from './extract.js';
import type { FunctionNode, WindowNode } from './function.js';
import type { GroupingSetNode } from './grouping.js';
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
  | CollateNode
  | ColumnNode
  | CompoundSelectNode
  | DeleteNode
  | ExtractNode
  | FunctionNode
  | GroupingSetNode
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
    typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string' && KIND_SET.has((value as { kind: string }).kind)
  );
}

/**
 * Every node kind, checked against `Node` both ways: a kind missing here or
 * one that is not a node is a type error, so the list cannot drift.
 */
const KINDS = {
  alias: true,
  binary: true,
  case: true,
  cast: true,
  collate: true,
  column: true,
  compound: true,
  delete: true,
  extract: true,
  function: true,
  groupingSet: true,
  insert: true,
  join: true,
  list: true,
  logical: true,
  orderBy: true,
  raw: true,
  select: true,
  star: true,
  table: true,
  unary: true,
  update: true,
  value: true,
  window: true,
} as const satisfies Record<Node['kind'], true>;

/** The kinds of `Node`, for code that must handle each one. */
export const NODE_KINDS: readonly Node['kind'][] = Object.freeze(Object.keys(KINDS) as Node['kind'][]);

const KIND_SET: ReadonlySet<string> = new Set(NODE_KINDS);

/** For exhaustive switches over node kinds: a kind added to `Node` and not handled is a type error here. */
export function unhandledKind(node: never): never {
  throw new TypeError(`cannot compile SQL node of kind ${JSON.stringify((node as { kind?: unknown }).kind)}`);
}
