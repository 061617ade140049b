import { MigrationError } from '../operations/definition-error.js';
import { Migrator } from '../operations/migrator.js';
import type { Operation } from '../operations/operation.js';
import type { MigrationDefinition } from './define-migration.js';

/** What one direction of one migration will do. */
export interface MigrationPlan {
  readonly name: string;
  readonly direction: 'up' | 'down';
  readonly operations: readonly Operation[];
  readonly transaction: boolean;
  /** True when `down` came from the inverses of up's operations. */
  readonly derived: boolean;
}

async function record(fn: (m: Migrator) => void | Promise<void>): Promise<Operation[]> {
  const m = new Migrator();
  await fn(m);
  return [...m.operations];
}

/**
 * The operations of `up` or `down`. A missing `down` is derived: up's
 * operations undone in reverse order; when one has no inverse the plan is
 * refused with every reason, before anything runs.
 */
export async function planMigration(name: string, definition: MigrationDefinition, direction: 'up' | 'down'): Promise<MigrationPlan> {
  let operations: Operation[];
  let derived = false;
  if (direction === 'up' || definition.down) {
    operations = await record((direction === 'up' ? definition.up : definition.down) as (m: Migrator) => void);
  } else {
    const up = await record(definition.up);
    const reasons = up.filter((op) => op.invert === undefined).map((op) => `  - ${op.irreversible}`);
    if (reasons.length > 0) throw new MigrationError(`${name}: cannot derive its down, write down(m) in the file:\n${reasons.join('\n')}`);
    operations = up.reverse().map((op) => (op.invert as () => Operation)());
    derived = true;
  }
  if (operations.length === 0)
    throw new MigrationError(`${name}: ${direction}(m) records no operation; a migration that does nothing is a mistake (m.sql(…) for raw SQL)`);
  const transaction = definition.transaction !== false;
  const outside = operations.filter((op) => !op.transactional);
  if (transaction && outside.length > 0)
    throw new MigrationError(
      `${name}: ${outside.map((op) => op.description).join(', ')} cannot run inside a transaction; mark the migration defineMigration({ transaction: false, … })`,
    );
  return { name, direction, operations, transaction, derived };
}
