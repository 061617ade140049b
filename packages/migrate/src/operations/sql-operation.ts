import type { Expressible } from '@pewit/query';
import { MigrationError } from './definition-error.js';
import { type Operation, operation, statementOf } from './operation.js';

/** Options of a raw `sql` step. */
export interface SqlStepOptions {
  /** The statement that undoes this one; without it a derived down refuses. */
  readonly down?: Expressible | undefined;
  /** Say why the step loses data (`DELETE FROM …`), so it is flagged like drops are. */
  readonly destructive?: string | undefined;
  /** False for statements PostgreSQL refuses in a transaction (`VACUUM`, `REINDEX CONCURRENTLY`). */
  readonly transactional?: boolean | undefined;
}

/**
 * A raw step: any statement, written with the `sql` tag (values become
 * parameters, so a backfill may interpolate them).
 *
 * @example
 * sqlStep(sql`UPDATE users SET plan = ${'free'} WHERE plan IS NULL`)
 * // UPDATE users SET plan = $1 WHERE plan IS NULL   with values ['free']
 */
export function sqlStep(statement: Expressible, options: SqlStepOptions = {}): Operation {
  if (typeof statement !== 'object' || statement === null || typeof statement.toNode !== 'function')
    throw new MigrationError('sql step: pass a sql`…` fragment (import { sql } from "@pewit/core"), not a plain string');
  const compiled = statementOf(statement);
  const down = options.down;
  const first = compiled.text.replace(/\s+/g, ' ').trim();
  return operation({
    kind: 'sql',
    description: `sql ${first.length > 60 ? `${first.slice(0, 60)}…` : first}`,
    statements: [compiled],
    destructive: options.destructive,
    transactional: options.transactional ?? true,
    inverse: down
      ? () => sqlStep(down, { down: statement, transactional: options.transactional })
      : `sql step "${first.slice(0, 40)}": pass { down: sql\`…\` }`,
  });
}
