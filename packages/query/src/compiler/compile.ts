import type { Node } from '../nodes/node.js';
import { compileExpression } from './compile-expression.js';
import { compileCompound, compileDelete, compileInsert, compileSelect, compileUpdate } from './compile-statement.js';
import type { CompiledQuery } from './compiled-query.js';
import { CompileContext } from './context.js';

function visit(node: Node, ctx: CompileContext, nested: boolean): void {
  switch (node.kind) {
    case 'select':
    case 'compound':
    case 'insert':
    case 'update':
    case 'delete':
      // A statement used as an expression (scalar subquery, IN (…)) needs parentheses.
      if (nested) ctx.write('(');
      if (node.kind === 'select') compileSelect(node, ctx, visit);
      else if (node.kind === 'compound') compileCompound(node, ctx, visit);
      else if (node.kind === 'insert') compileInsert(node, ctx, visit);
      else if (node.kind === 'update') compileUpdate(node, ctx, visit);
      else compileDelete(node, ctx, visit);
      if (nested) ctx.write(')');
      return;
    default:
      if (!compileExpression(node, ctx, visit)) {
        throw new TypeError(`cannot compile SQL node of kind "${(node as { kind: string }).kind}"`);
      }
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
