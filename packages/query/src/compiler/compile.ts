import { type Node, unhandledKind } from '../nodes/node.js';
import { compileExpression, type ExpressionNode, type StatementNode } from './compile-expression.js';
import { compileCompound, compileDelete, compileInsert, compileSelect, compileUpdate } from './compile-statement.js';
import type { CompiledQuery } from './compiled-query.js';
import { CompileContext } from './context.js';
import { SHAREABLE } from './shared-expressions.js';

function visit(node: Node, ctx: CompileContext, nested: boolean): void {
  const shared = ctx.shared;
  if (shared !== undefined && SHAREABLE.has(node.kind)) {
    const i = shared.find(node);
    if (i >= 0) {
      const text = shared.text(i);
      if (text !== undefined) {
        ctx.writeAgain(text);
        return;
      }
      const mark = ctx.mark();
      compileExpression(node as ExpressionNode, ctx, visit);
      shared.record(i, ctx.since(mark));
      return;
    }
  }
  switch (node.kind) {
    case 'select':
    case 'compound':
    case 'insert':
    case 'update':
    case 'delete':
      // A statement used as an expression (scalar subquery, IN (…)) needs parentheses.
      if (nested) ctx.write('(');
      // A subquery is its own scope: its expressions are not the outer SELECT's.
      ctx.shared = undefined;
      {
        const ctes = ctx.ctes.length;
        statement(node, ctx);
        ctx.ctes.length = ctes; // the statement's own CTEs go out of scope with it
      }
      ctx.shared = shared;
      if (nested) ctx.write(')');
      return;
    case 'alias':
    case 'binary':
    case 'case':
    case 'cast':
    case 'collate':
    case 'column':
    case 'extract':
    case 'function':
    case 'groupingSet':
    case 'join':
    case 'list':
    case 'logical':
    case 'orderBy':
    case 'raw':
    case 'star':
    case 'table':
    case 'unary':
    case 'value':
    case 'window':
      compileExpression(node, ctx, visit);
      return;
    default:
      unhandledKind(node);
  }
}

function statement(node: StatementNode, ctx: CompileContext): void {
  switch (node.kind) {
    case 'select':
      compileSelect(node, ctx, visit);
      return;
    case 'compound':
      compileCompound(node, ctx, visit);
      return;
    case 'insert':
      compileInsert(node, ctx, visit);
      return;
    case 'update':
      compileUpdate(node, ctx, visit);
      return;
    case 'delete':
      compileDelete(node, ctx, visit);
      return;
    default:
      unhandledKind(node);
  }
}

/**
 * Compiles a node tree to PostgreSQL. Identifiers are always quoted and
 * every value becomes a `$n` parameter.
 *
 * @example
 * compile(updateSelect(EMPTY_SELECT, { columns: [column('id')], from: [table('users')],
 *   where: binary(column('name'), '=', value('alice')) }))
 * // => { text: 'SELECT "id" FROM "users" WHERE "name" = $1', values: ['alice'] }
 */
export function compile(node: Node): CompiledQuery {
  const ctx = new CompileContext();
  visit(node, ctx, false);
  return { text: ctx.text, values: ctx.values };
}
