import type { CteSpec, WithClause } from '../nodes/cte.js';
import type { DeleteNode } from '../nodes/delete.js';
import type { InsertNode, OnConflictClause } from '../nodes/insert.js';
import type { JoinNode } from '../nodes/join.js';
import { CONFLICT_ACTIONS, JOIN_TYPES, LOCK_STRENGTHS, LOCK_WAITS, oneOf, SET_OPERATORS } from '../nodes/keywords.js';
import type { Node } from '../nodes/node.js';
import type { SelectNode } from '../nodes/select.js';
import type { CompoundSelectNode } from '../nodes/set-operation.js';
import type { UpdateNode } from '../nodes/update.js';
import { joinNodes } from './compile-expression.js';
import type { CompileContext } from './context.js';
import { quoteIdentifier } from './quote.js';
import { SharedExpressions, sameTree } from './shared-expressions.js';

type Visit = (node: Node, ctx: CompileContext, nested: boolean) => void;

const JOIN_SQL: Readonly<Record<JoinNode['type'], string>> = {
  inner: 'INNER JOIN',
  left: 'LEFT OUTER JOIN',
  right: 'RIGHT OUTER JOIN',
  full: 'FULL OUTER JOIN',
  cross: 'CROSS JOIN',
};

/**
 * Whether `cte` is already in scope: the same name with the same body in an
 * enclosing statement's WITH (a subquery selecting from a CTE the outer query
 * has), or earlier in this one. Emitting it again would run its body twice;
 * the same name with another body in one WITH is an error PostgreSQL would
 * also raise, said here with the name.
 */
function inScope(cte: CteSpec, ctx: CompileContext, own: number): boolean {
  for (let i = ctx.ctes.length - 1; i >= 0; i--) {
    const seen = ctx.ctes[i] as CteSpec;
    if (seen.name !== cte.name) continue;
    if (seen === cte || sameTree(seen, cte)) return true;
    if (i >= own) throw new TypeError(`WITH: two different CTEs are named ${JSON.stringify(cte.name)}; give one another name`);
    return false; // an inner CTE of that name shadows the outer one
  }
  return false;
}

function withClause(clause: WithClause | undefined, ctx: CompileContext, visit: Visit): void {
  if (!clause || clause.ctes.length === 0) return;
  const own = ctx.ctes.length;
  let written = 0;
  clause.ctes.forEach((cte) => {
    if (inScope(cte, ctx, own)) return;
    ctx.ctes.push(cte);
    ctx.write(written === 0 ? (clause.recursive ? 'WITH RECURSIVE ' : 'WITH ') : ', ');
    written++;
    ctx.write(quoteIdentifier(cte.name));
    if (cte.columns?.length) ctx.write(`(${cte.columns.map(quoteIdentifier).join(', ')})`);
    ctx.write(' AS ');
    if (cte.materialized !== undefined) ctx.write(cte.materialized ? 'MATERIALIZED ' : 'NOT MATERIALIZED ');
    ctx.write('(');
    visit(cte.query, ctx, false);
    ctx.write(')');
  });
  if (written > 0) ctx.write(' ');
}

/** FROM items: subqueries need parentheses, tables do not. */
function fromItem(node: Node, ctx: CompileContext, visit: Visit): void {
  if (node.kind === 'alias' && (node.expr.kind === 'select' || node.expr.kind === 'compound' || node.expr.kind === 'raw')) {
    ctx.write('(');
    visit(node.expr, ctx, false);
    ctx.write(`) AS ${quoteIdentifier(node.alias)}`);
    if (node.columns?.length) ctx.write(`(${node.columns.map(quoteIdentifier).join(', ')})`);
  } else {
    visit(node, ctx, true);
  }
}

function joins(items: readonly JoinNode[], ctx: CompileContext, visit: Visit): void {
  for (const j of items) {
    ctx.write(` ${JOIN_SQL[oneOf('join type', j.type, JOIN_TYPES)]} `);
    if (j.lateral) ctx.write('LATERAL ');
    fromItem(j.target, ctx, visit);
    if (j.on) {
      ctx.write(' ON ');
      visit(j.on, ctx, false);
    }
  }
}

function tail(node: { orderBy: readonly Node[]; limit?: Node | undefined; offset?: Node | undefined }, ctx: CompileContext, visit: Visit): void {
  if (node.orderBy.length) {
    ctx.write(' ORDER BY ');
    joinNodes(node.orderBy, ctx, visit);
  }
  if (node.limit) {
    ctx.write(' LIMIT ');
    visit(node.limit, ctx, true);
  }
  if (node.offset) {
    ctx.write(' OFFSET ');
    visit(node.offset, ctx, true);
  }
}

function returning(items: readonly Node[], ctx: CompileContext, visit: Visit): void {
  if (items.length === 0) return;
  ctx.write(' RETURNING ');
  joinNodes(items, ctx, visit);
}

function where(node: Node | undefined, ctx: CompileContext, visit: Visit, keyword = 'WHERE'): void {
  if (!node) return;
  ctx.write(` ${keyword} `);
  visit(node, ctx, false);
}

/** The expressions of a SELECT that must keep one text, or undefined when none holds a parameter. */
function sharedOf(node: SelectNode): SharedExpressions | undefined {
  let shared: SharedExpressions | undefined;
  const add = (n: Node) => {
    const expr = n.kind === 'alias' ? n.expr : n.kind === 'orderBy' ? n.expr : n;
    if (expr.kind === 'column' || expr.kind === 'value' || expr.kind === 'star' || expr.kind === 'table') return;
    shared ??= new SharedExpressions();
    shared.add(expr);
  };
  // The elements of ROLLUP / CUBE / GROUPING SETS are grouping expressions too.
  for (const n of node.groupBy) {
    if (n.kind === 'groupingSet') for (const item of n.items) item.forEach(add);
    else add(n);
  }
  if (node.distinctOn) for (const n of node.distinctOn) add(n);
  for (const n of node.columns) add(n);
  for (const n of node.orderBy) add(n);
  return shared?.size ? shared : undefined;
}

export function compileSelect(node: SelectNode, ctx: CompileContext, visit: Visit): void {
  withClause(node.with, ctx, visit);
  const shared = sharedOf(node);
  ctx.shared = shared;
  ctx.write('SELECT ');
  if (node.distinctOn?.length) {
    ctx.write('DISTINCT ON (');
    joinNodes(node.distinctOn, ctx, visit);
    ctx.write(') ');
  } else if (node.distinct) {
    ctx.write('DISTINCT ');
  }
  if (node.columns.length) ctx.reuse(node.columns, () => joinNodes(node.columns, ctx, visit));
  else ctx.write('*');
  // FROM, JOIN and WHERE are outside grouping: their expressions keep their own parameters.
  ctx.shared = undefined;
  if (node.from.length) {
    ctx.write(' FROM ');
    node.from.forEach((f, i) => {
      if (i > 0) ctx.write(', ');
      fromItem(f, ctx, visit);
    });
  }
  joins(node.joins, ctx, visit);
  where(node.where, ctx, visit);
  ctx.shared = shared;
  if (node.groupBy.length) {
    ctx.write(' GROUP BY ');
    // An aliased item groups by its expression: `GROUP BY x AS "n"` is not SQL.
    joinNodes(
      node.groupBy.map((g) => (g.kind === 'alias' ? g.expr : g)),
      ctx,
      visit,
    );
  }
  where(node.having, ctx, visit, 'HAVING');
  tail(node, ctx, visit);
  ctx.shared = undefined;
  if (node.lock) {
    ctx.write(` FOR ${oneOf('lock strength', node.lock.strength, LOCK_STRENGTHS)}`);
    if (node.lock.of?.length) ctx.write(` OF ${node.lock.of.map(quoteIdentifier).join(', ')}`);
    if (node.lock.wait) ctx.write(` ${oneOf('lock wait', node.lock.wait, LOCK_WAITS)}`);
  }
}

export function compileCompound(node: CompoundSelectNode, ctx: CompileContext, visit: Visit): void {
  withClause(node.with, ctx, visit);
  for (const [i, side] of [node.left, node.right].entries()) {
    if (i > 0) ctx.write(` ${oneOf('set operator', node.op, SET_OPERATORS)} `);
    ctx.write('(');
    visit(side, ctx, false);
    ctx.write(')');
  }
  tail(node, ctx, visit);
}

function onConflict(clause: OnConflictClause, ctx: CompileContext, visit: Visit): void {
  ctx.write(' ON CONFLICT');
  if (clause.constraint !== undefined) {
    ctx.write(` ON CONSTRAINT ${quoteIdentifier(clause.constraint)}`);
  } else if (clause.target?.length) {
    ctx.write(' (');
    joinNodes(clause.target, ctx, visit);
    ctx.write(')');
    where(clause.targetWhere, ctx, visit);
  }
  if (oneOf('onConflict action', clause.action, CONFLICT_ACTIONS) === 'nothing') {
    ctx.write(' DO NOTHING');
    return;
  }
  ctx.write(' DO UPDATE SET ');
  assignments(clause.set ?? [], ctx, visit);
  where(clause.where, ctx, visit);
}

function assignments(set: readonly (readonly [string, Node])[], ctx: CompileContext, visit: Visit): void {
  set.forEach(([name, value], i) => {
    if (i > 0) ctx.write(', ');
    ctx.write(`${quoteIdentifier(name)} = `);
    visit(value, ctx, true);
  });
}

/**
 * One `(…)` of VALUES. Plain parameters are written as one run of text per
 * row: a 10,000-row insertMany has 50,000 of them, and a write per cell was
 * most of its compile time.
 */
function valuesRow(row: readonly Node[], open: string, ctx: CompileContext, visit: Visit): void {
  let text = open;
  row.forEach((cell, j) => {
    if (j > 0) text += ', ';
    if (cell.kind === 'value' && cell.cast === undefined) {
      text += ctx.placeholder(cell.value);
    } else {
      ctx.write(text);
      text = '';
      visit(cell, ctx, true);
    }
  });
  ctx.write(`${text})`);
}

export function compileInsert(node: InsertNode, ctx: CompileContext, visit: Visit): void {
  withClause(node.with, ctx, visit);
  ctx.write('INSERT INTO ');
  visit(node.table, ctx, true);
  const rows = node.values;
  if (Array.isArray(rows)) {
    const valueRows = rows as readonly (readonly Node[])[];
    if (node.columns.length === 0 || valueRows.length === 0) {
      ctx.write(' DEFAULT VALUES');
    } else {
      ctx.write(` (${node.columns.map(quoteIdentifier).join(', ')}) VALUES `);
      valueRows.forEach((row, i) => {
        valuesRow(row, i > 0 ? ', (' : '(', ctx, visit);
      });
    }
  } else {
    if (node.columns.length) ctx.write(` (${node.columns.map(quoteIdentifier).join(', ')})`);
    ctx.write(' ');
    visit(rows as Node, ctx, false);
  }
  if (node.onConflict) onConflict(node.onConflict, ctx, visit);
  returning(node.returning, ctx, visit);
}

export function compileUpdate(node: UpdateNode, ctx: CompileContext, visit: Visit): void {
  withClause(node.with, ctx, visit);
  ctx.write('UPDATE ');
  visit(node.table, ctx, true);
  ctx.write(' SET ');
  assignments(node.set, ctx, visit);
  if (node.from.length) {
    ctx.write(' FROM ');
    node.from.forEach((f, i) => {
      if (i > 0) ctx.write(', ');
      fromItem(f, ctx, visit);
    });
  }
  where(node.where, ctx, visit);
  returning(node.returning, ctx, visit);
}

export function compileDelete(node: DeleteNode, ctx: CompileContext, visit: Visit): void {
  withClause(node.with, ctx, visit);
  ctx.write('DELETE FROM ');
  visit(node.table, ctx, true);
  if (node.using.length) {
    ctx.write(' USING ');
    node.using.forEach((f, i) => {
      if (i > 0) ctx.write(', ');
      fromItem(f, ctx, visit);
    });
  }
  where(node.where, ctx, visit);
  returning(node.returning, ctx, visit);
}
