import type { Node } from '../nodes/node.js';
import type { CompileContext } from './context.js';
import { quoteIdentifier } from './quote.js';

type Visit = (node: Node, ctx: CompileContext, nested: boolean) => void;

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
export function compileExpression(node: Node, ctx: CompileContext, visit: Visit): boolean {
  switch (node.kind) {
    case 'value':
      ctx.param(node.value);
      if (node.cast) ctx.write(`::${node.cast}`);
      return true;
    case 'column':
      ctx.reuse(node, () => ctx.write(node.table === undefined ? quoteIdentifier(node.name) : `${quoteIdentifier(node.table)}.${quoteIdentifier(node.name)}`));
      return true;
    case 'star':
      ctx.write(node.table !== undefined ? `${quoteIdentifier(node.table)}.*` : '*');
      return true;
    case 'table':
      ctx.reuse(node, () => {
        if (node.schema !== undefined) ctx.write(`${quoteIdentifier(node.schema)}.`);
        ctx.write(quoteIdentifier(node.name));
        if (node.alias !== undefined) ctx.write(` AS ${quoteIdentifier(node.alias)}`);
      });
      return true;
    case 'raw':
      node.parts.forEach((part, i) => {
        ctx.write(part);
        const inner = node.nodes[i];
        if (inner) operand(inner, ctx, visit, false);
      });
      return true;
    case 'binary':
      operand(node.left, ctx, visit);
      ctx.write(` ${node.op} `);
      operand(node.right, ctx, visit);
      return true;
    case 'unary':
      if (node.postfix) {
        operand(node.operand, ctx, visit);
        ctx.write(` ${node.op}`);
      } else {
        ctx.write(`${node.op} `);
        operand(node.operand, ctx, visit);
      }
      return true;
    case 'logical':
      if (node.items.length === 0) {
        ctx.write(node.op === 'AND' ? 'TRUE' : 'FALSE');
      } else {
        node.items.forEach((item, i) => {
          if (i > 0) ctx.write(` ${node.op} `);
          operand(item, ctx, visit);
        });
      }
      return true;
    case 'list':
      ctx.write('(');
      joinNodes(node.items, ctx, visit);
      ctx.write(')');
      return true;
    case 'alias':
      operand(node.expr, ctx, visit, false);
      ctx.write(` AS ${quoteIdentifier(node.alias)}`);
      return true;
    case 'cast':
      ctx.write('CAST(');
      visit(node.expr, ctx, true);
      ctx.write(` AS ${node.type})`);
      return true;
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
      return true;
    case 'function':
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
      return true;
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
      if (frame) parts.push(() => ctx.write(frame.end ? `${frame.type} BETWEEN ${frame.start} AND ${frame.end}` : `${frame.type} ${frame.start}`));
      ctx.write('(');
      parts.forEach((write, i) => {
        if (i > 0) ctx.write(' ');
        write();
      });
      ctx.write(')');
      return true;
    }
    case 'orderBy':
      operand(node.expr, ctx, visit, false);
      if (node.direction) ctx.write(` ${node.direction}`);
      if (node.nulls) ctx.write(` NULLS ${node.nulls}`);
      return true;
    default:
      return false;
  }
}
