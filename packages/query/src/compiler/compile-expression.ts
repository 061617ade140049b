import { checkFrame } from '../nodes/function.js';
import {
  BINARY_OPERATORS,
  checkFunctionName,
  checkTypeName,
  DIRECTIONS,
  EXTRACT_FIELDS,
  GROUPING_KINDS,
  LOGICAL_OPERATORS,
  NULLS_ORDERINGS,
  oneOf,
  UNARY_OPERATORS,
} from '../nodes/keywords.js';
import { type Node, unhandledKind } from '../nodes/node.js';
import type { CompileContext } from './context.js';
import { quoteIdentifier } from './quote.js';

type Visit = (node: Node, ctx: CompileContext, nested: boolean) => void;

/** Statement kinds; compile.ts compiles them, everything else is an expression. */
export type StatementNode = Extract<Node, { kind: 'select' | 'compound' | 'insert' | 'update' | 'delete' }>;
export type ExpressionNode = Exclude<Node, StatementNode>;

// Keywords are checked again here because nodes may be written as object
// literals that skipped the factories; a Set lookup keeps the hot path cheap.
const BINARY = new Set<string>(BINARY_OPERATORS);
const UNARY = new Set<string>(UNARY_OPERATORS);
const checkedTypes = new Set<string>();
const checkedFunctions = new Set<string>();

function typeName(option: string, type: string): string {
  if (!checkedTypes.has(type)) checkedTypes.add(checkTypeName(option, type));
  return type;
}

/** Kinds that need parentheses when they appear as an operand. */
const COMPOSITE = new Set(['binary', 'logical', 'select', 'compound', 'insert', 'update', 'delete']);

/**
 * Writes a node that is an operand of an operator. `wrapRaw` also brackets raw
 * `sql` fragments: their text may hold operators of lower precedence
 * (`a OR b` ANDed with something else), so as operands they must stay whole.
 * Inside another raw fragment they are spliced as written.
 */
function operand(node: Node, ctx: CompileContext, visit: Visit, wrapRaw = true): void {
  if (COMPOSITE.has(node.kind) || (node.kind === 'unary' && node.op === 'NOT') || (wrapRaw && node.kind === 'raw')) {
    ctx.write('(');
    visit(node, ctx, false);
    ctx.write(')');
  } else {
    visit(node, ctx, true);
  }
}

export function joinNodes(nodes: readonly Node[], ctx: CompileContext, visit: Visit, separator = ', '): void {
  nodes.forEach((n, i) => {
    if (i > 0) ctx.write(separator);
    visit(n, ctx, true);
  });
}

/** Compiles the expression node kinds; statement kinds are handled elsewhere. */
export function compileExpression(node: ExpressionNode, ctx: CompileContext, visit: Visit): void {
  switch (node.kind) {
    case 'value':
      ctx.param(node.value);
      if (node.cast) ctx.write(`::${typeName('value cast', node.cast)}`);
      return;
    case 'column':
      ctx.reuse(node, () => ctx.write(node.table === undefined ? quoteIdentifier(node.name) : `${quoteIdentifier(node.table)}.${quoteIdentifier(node.name)}`));
      return;
    case 'star':
      ctx.write(node.table !== undefined ? `${quoteIdentifier(node.table)}.*` : '*');
      return;
    case 'table':
      ctx.reuse(node, () => {
        if (node.schema !== undefined) ctx.write(`${quoteIdentifier(node.schema)}.`);
        ctx.write(quoteIdentifier(node.name));
        if (node.alias !== undefined) ctx.write(` AS ${quoteIdentifier(node.alias)}`);
      });
      return;
    case 'raw':
      node.parts.forEach((part, i) => {
        ctx.write(part);
        const inner = node.nodes[i];
        if (inner) operand(inner, ctx, visit, false);
      });
      return;
    case 'binary':
      if (!BINARY.has(node.op)) oneOf('binary operator', node.op, BINARY_OPERATORS);
      operand(node.left, ctx, visit);
      ctx.write(` ${node.op} `);
      operand(node.right, ctx, visit);
      return;
    case 'unary':
      if (!UNARY.has(node.op)) oneOf('unary operator', node.op, UNARY_OPERATORS);
      if (node.postfix) {
        operand(node.operand, ctx, visit);
        ctx.write(` ${node.op}`);
      } else {
        ctx.write(`${node.op} `);
        operand(node.operand, ctx, visit);
      }
      return;
    case 'logical':
      oneOf('logical operator', node.op, LOGICAL_OPERATORS);
      if (node.items.length === 0) {
        ctx.write(node.op === 'AND' ? 'TRUE' : 'FALSE');
      } else {
        node.items.forEach((item, i) => {
          if (i > 0) ctx.write(` ${node.op} `);
          operand(item, ctx, visit);
        });
      }
      return;
    case 'list':
      ctx.write('(');
      joinNodes(node.items, ctx, visit);
      ctx.write(')');
      return;
    case 'alias':
      operand(node.expr, ctx, visit, false);
      ctx.write(` AS ${quoteIdentifier(node.alias)}`);
      return;
    case 'cast':
      ctx.write('CAST(');
      visit(node.expr, ctx, true);
      ctx.write(` AS ${typeName('cast()', node.type)})`);
      return;
    case 'case':
      ctx.write('CASE');
      if (node.subject) {
        ctx.write(' ');
        operand(node.subject, ctx, visit);
      }
      for (const [when, then] of node.whens) {
        ctx.write(' WHEN ');
        visit(when, ctx, true);
        ctx.write(' THEN ');
        visit(then, ctx, true);
      }
      if (node.else) {
        ctx.write(' ELSE ');
        visit(node.else, ctx, true);
      }
      ctx.write(' END');
      return;
    case 'function':
      if (!checkedFunctions.has(node.name)) checkedFunctions.add(checkFunctionName('fn', node.name));
      ctx.write(`${node.name}(`);
      if (node.distinct) ctx.write('DISTINCT ');
      joinNodes(node.args, ctx, visit);
      ctx.write(')');
      if (node.filter) {
        ctx.write(' FILTER (WHERE ');
        visit(node.filter, ctx, false);
        ctx.write(')');
      }
      if (node.over) {
        ctx.write(' OVER ');
        visit(node.over, ctx, true);
      }
      return;
    case 'window': {
      const parts: (() => void)[] = [];
      if (node.partitionBy.length)
        parts.push(() => {
          ctx.write('PARTITION BY ');
          joinNodes(node.partitionBy, ctx, visit);
        });
      if (node.orderBy.length)
        parts.push(() => {
          ctx.write('ORDER BY ');
          joinNodes(node.orderBy, ctx, visit);
        });
      const frame = node.frame;
      if (frame) {
        checkFrame(frame);
        const extent = frame.end ? `${frame.type} BETWEEN ${frame.start} AND ${frame.end}` : `${frame.type} ${frame.start}`;
        parts.push(() => ctx.write(frame.exclude ? `${extent} EXCLUDE ${frame.exclude}` : extent));
      }
      ctx.write('(');
      parts.forEach((write, i) => {
        if (i > 0) ctx.write(' ');
        write();
      });
      ctx.write(')');
      return;
    }
    case 'orderBy':
      operand(node.expr, ctx, visit, false);
      if (node.direction) ctx.write(` ${oneOf('order direction', node.direction, DIRECTIONS)}`);
      if (node.nulls) ctx.write(` NULLS ${oneOf('NULLS ordering', node.nulls, NULLS_ORDERINGS)}`);
      return;
    case 'collate':
      operand(node.expr, ctx, visit);
      ctx.write(` COLLATE ${quoteIdentifier(node.collation)}`);
      return;
    case 'extract':
      ctx.write(`EXTRACT(${oneOf('extract field', node.field, EXTRACT_FIELDS).toUpperCase()} FROM `);
      visit(node.expr, ctx, true);
      ctx.write(')');
      return;
    case 'groupingSet':
      ctx.write(`${oneOf('grouping set', node.type, GROUPING_KINDS)} (`);
      node.items.forEach((item, i) => {
        if (i > 0) ctx.write(', ');
        // One expression stands alone; several (or none, the grand total) are one parenthesized element.
        if (item.length === 1 && node.type !== 'GROUPING SETS') visit(item[0] as Node, ctx, true);
        else {
          ctx.write('(');
          joinNodes(item, ctx, visit);
          ctx.write(')');
        }
      });
      ctx.write(')');
      return;
    case 'join':
      throw new TypeError('a join node stands only in the joins of a SELECT');
    default:
      unhandledKind(node);
  }
}
