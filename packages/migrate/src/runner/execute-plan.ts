import { performance } from 'node:perf_hooks';
import type { Database } from '@pewit/core';
import { MigrationError } from '../operations/definition-error.js';
import type { Operation, Statement } from '../operations/operation.js';
import type { MigrationPlan } from './plan.js';
import type { Reporter } from './reporter.js';

const run = (db: Database, statement: Statement) => db.execute({ toNode: () => statement.node });

async function runOperation(db: Database, op: Operation): Promise<void> {
  for (const guard of op.guards) {
    const { rows } = await run(db, guard.query);
    if (rows[0]?.found === true) throw new MigrationError(guard.refusal);
  }
  for (const statement of op.statements) await run(db, statement);
}

/** Prints the destructive steps of a plan, before it runs (or instead, for a dry run). */
export function warnDestructive(plan: MigrationPlan, reporter: Reporter): void {
  for (const op of plan.operations) {
    if (op.destructive) reporter.line(reporter.style('yellow', `  ! destructive: ${op.description}: ${op.destructive}`));
  }
}

/** The SQL of a plan, as `--dry-run` prints it. */
export function planSql(plan: MigrationPlan, bookkeeping: string): string[] {
  const out: string[] = [];
  if (plan.transaction) out.push('BEGIN;');
  for (const op of plan.operations) {
    out.push(`-- ${op.description}${op.destructive ? ` (DESTRUCTIVE: ${op.destructive})` : ''}`);
    for (const guard of op.guards) out.push(`-- checks first that ${guard.describes}`);
    for (const s of op.statements) out.push(`${s.text};${s.values.length ? ` -- with ${s.values.length} parameter(s)` : ''}`);
  }
  out.push(`${bookkeeping};`);
  if (plan.transaction) out.push('COMMIT;');
  return out;
}

/**
 * Runs a plan and its history change (`book`). In a transaction, all of it
 * commits or none does. Without one, each statement commits on its own; when
 * one fails the error says which operations already ran, since they stay.
 */
export async function executePlan(db: Database, plan: MigrationPlan, book: (durationMs: number) => Promise<void>): Promise<number> {
  const start = performance.now();
  if (plan.transaction) {
    await db.atomic(async () => {
      for (const op of plan.operations) await runOperation(db, op);
      await book(performance.now() - start);
    });
    return performance.now() - start;
  }
  let done = 0;
  try {
    for (const op of plan.operations) {
      await runOperation(db, op);
      done++;
    }
  } catch (error) {
    const ran = plan.operations.slice(0, done).map((op) => op.description);
    const message = `${plan.name} (${plan.direction}, no transaction) failed at "${plan.operations[done]?.description}": ${(error as Error).message}. ${
      ran.length ? `These already ran and stay: ${ran.join('; ')}.` : 'Nothing had run yet.'
    } The migration is not recorded.`;
    throw new MigrationError(message, { cause: error });
  }
  await book(performance.now() - start);
  return performance.now() - start;
}
