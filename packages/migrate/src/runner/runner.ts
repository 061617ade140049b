import type { Database } from '@pewit/core';
import { MigrationError } from '../operations/definition-error.js';
import { acquireMigrationLock } from './advisory-lock.js';
import { executePlan, planSql, warnDestructive } from './execute-plan.js';
import { type AppliedMigration, HISTORY_TABLE, History } from './history.js';
import { listMigrationFiles, loadMigration, type MigrationFile } from './migration-files.js';
import { planMigration } from './plan.js';
import { ms, type Reporter, streamReporter } from './reporter.js';

/** Options of `MigrationRunner`. */
export interface MigrationRunnerOptions {
  /** The folder of migration files. */
  readonly migrations: string;
  /** Print the SQL and change nothing (no history table is created either). */
  readonly dryRun?: boolean | undefined;
  /** Run even though an applied migration's file changed since (its stored checksum is updated). */
  readonly force?: boolean | undefined;
  readonly reporter?: Reporter | undefined;
  /** The history table (default `pewit_migrations`). */
  readonly table?: string | undefined;
}

/** One line of `status`. */
export interface MigrationStatus {
  readonly name: string;
  /** `changed`: applied, but the file differs from what was applied; `missing`: applied, and the file is gone. */
  readonly state: 'applied' | 'pending' | 'changed' | 'missing';
  readonly appliedAt?: Date | undefined;
  readonly durationMs?: number | undefined;
}

/**
 * Applies and rolls back the migrations of a folder on one database. Each
 * command takes the session advisory lock first, so two processes never
 * migrate at once; each migration runs in one transaction with its history
 * row unless it says `transaction: false`.
 *
 * @example
 * const runner = new MigrationRunner(db, { migrations: './migrations' });
 * await runner.up();              // applies every pending migration, in name order
 * await runner.down({ steps: 1 }); // rolls back the last one
 */
export class MigrationRunner {
  readonly #db: Database;
  readonly #options: MigrationRunnerOptions;
  readonly #history: History;
  readonly #reporter: Reporter;
  readonly #table: string;

  constructor(db: Database, options: MigrationRunnerOptions) {
    this.#db = db;
    this.#options = options;
    this.#table = options.table ?? HISTORY_TABLE;
    this.#history = new History(db, this.#table);
    this.#reporter = options.reporter ?? streamReporter();
  }

  /** Every migration file and every applied migration, with its state. */
  async status(): Promise<MigrationStatus[]> {
    const [files, applied] = await Promise.all([listMigrationFiles(this.#options.migrations), this.#history.applied()]);
    return statusOf(files, applied);
  }

  /** Prints `status()`; returns it. */
  async printStatus(): Promise<MigrationStatus[]> {
    const list = await this.status();
    const r = this.#reporter;
    const marks: Record<MigrationStatus['state'], string> = {
      applied: r.style('green', 'applied'),
      pending: r.style('yellow', 'pending'),
      changed: r.style('red', 'CHANGED'),
      missing: r.style('red', 'MISSING'),
    };
    if (list.length === 0) r.line('no migrations yet (pewit migrate create <name>)');
    for (const s of list) {
      const when = s.appliedAt ? r.style('dim', `  ${s.appliedAt.toISOString()}  ${ms(s.durationMs ?? 0)}`) : '';
      r.line(`${marks[s.state]}  ${s.name}${when}`);
    }
    const pending = list.filter((s) => s.state === 'pending').length;
    const changed = list.filter((s) => s.state === 'changed').length;
    r.line(`${list.length - pending} applied, ${pending} pending${changed ? `, ${changed} changed since applied (refused unless --force)` : ''}`);
    return list;
  }

  /** Applies pending migrations in name order, up to and including `to`. Returns the names applied. */
  async up(options: { readonly to?: string | undefined } = {}): Promise<string[]> {
    return this.#locked(async (files, applied) => {
      const done = new Set(applied.map((a) => a.name));
      const pending = files.filter((f) => !done.has(f.name));
      let chosen = pending;
      if (options.to !== undefined) {
        const i = pending.findIndex((f) => f.name === options.to);
        if (i < 0) {
          if (done.has(options.to)) {
            this.#reporter.line(`${options.to} is already applied; nothing to do`);
            return [];
          }
          throw new MigrationError(`--to ${options.to}: no migration file of that name in ${this.#options.migrations}`);
        }
        chosen = pending.slice(0, i + 1);
      }
      if (chosen.length === 0) {
        this.#reporter.line('nothing to migrate: every migration is applied');
        return [];
      }
      for (const file of chosen) await this.#apply(file, 'up');
      this.#summary('applied', chosen.length);
      return chosen.map((f) => f.name);
    });
  }

  /** Rolls back the last `steps` applied migrations (default 1), newest first. Returns the names rolled back. */
  async down(options: { readonly steps?: number | undefined } = {}): Promise<string[]> {
    const steps = options.steps ?? 1;
    if (!Number.isInteger(steps) || steps < 1) throw new MigrationError(`--steps must be a whole number of at least 1, not ${steps}`);
    return this.#locked(async (files, applied) => {
      const last = applied.slice(-steps).reverse();
      if (last.length === 0) {
        this.#reporter.line('nothing to roll back: no migration is applied');
        return [];
      }
      for (const row of last) await this.#apply(fileOf(files, row.name, this.#options.migrations), 'down');
      this.#summary('rolled back', last.length);
      return last.map((a) => a.name);
    });
  }

  /** Rolls back the last applied migration and applies it again (after editing it, with `force`). */
  async redo(): Promise<string | undefined> {
    return this.#locked(async (files, applied) => {
      const last = applied.at(-1);
      if (!last) {
        this.#reporter.line('nothing to redo: no migration is applied');
        return undefined;
      }
      const file = fileOf(files, last.name, this.#options.migrations);
      await this.#apply(file, 'down');
      await this.#apply(file, 'up');
      this.#summary('redone', 1);
      return last.name;
    });
  }

  async #locked<T>(fn: (files: MigrationFile[], applied: AppliedMigration[]) => Promise<T>): Promise<T> {
    const files = await listMigrationFiles(this.#options.migrations);
    if (this.#options.dryRun) {
      this.#reporter.line(this.#reporter.style('cyan', '-- dry run: the SQL below is printed, not sent; nothing changes'));
      return fn(files, await this.#checked(files));
    }
    const lock = await acquireMigrationLock(this.#db, () =>
      this.#reporter.line(this.#reporter.style('yellow', 'waiting: another pewit migrate holds the migration lock…')),
    );
    try {
      await this.#history.ensure();
      // Read after the lock: a run that waited sees what the other one applied.
      return await fn(files, await this.#checked(files));
    } finally {
      // A failed unlock (the connection broke) must not hide the error that ended the run; the server drops a
      // session lock with its session anyway, and the command closes the database next.
      await lock.release().catch(() => undefined);
    }
  }

  /** The applied migrations, after refusing (unless forced) files edited since they were applied. */
  async #checked(files: MigrationFile[]): Promise<AppliedMigration[]> {
    const applied = await this.#history.applied();
    const changed = statusOf(files, applied).filter((s) => s.state === 'changed');
    if (changed.length > 0) {
      const names = changed.map((s) => s.name).join(', ');
      if (!this.#options.force)
        throw new MigrationError(
          `${names}: the file changed after it was applied (checksum mismatch). Put the file back as it was and make a new migration, or pass --force to run anyway`,
        );
      this.#reporter.line(this.#reporter.style('yellow', `! --force: ${names} changed after it was applied; its history row takes the new checksum`));
      if (!this.#options.dryRun) for (const s of changed) await this.#history.updateChecksum(s.name, fileOf(files, s.name, '').checksum);
    }
    return applied;
  }

  async #apply(file: MigrationFile, direction: 'up' | 'down'): Promise<void> {
    const r = this.#reporter;
    const plan = await planMigration(file.name, await loadMigration(file), direction);
    const arrow = direction === 'up' ? '▲' : '▼';
    const how = [plan.derived ? 'derived down' : '', plan.transaction ? '' : 'no transaction'].filter(Boolean).join(', ');
    r.line(`${r.style('bold', `${arrow} ${direction === 'up' ? 'applying' : 'rolling back'} ${file.name}`)}${how ? r.style('dim', ` (${how})`) : ''}`);
    warnDestructive(plan, r);
    const bookkeeping =
      direction === 'up'
        ? `INSERT INTO "${this.#table}" (name, checksum, duration_ms) VALUES ('${file.name}', '${file.checksum.slice(0, 12)}…', …)`
        : `DELETE FROM "${this.#table}" WHERE name = '${file.name}'`;
    if (this.#options.dryRun) {
      for (const text of planSql(plan, bookkeeping)) r.line(text);
      return;
    }
    for (const op of plan.operations) r.line(r.style('dim', `  · ${op.description}`));
    let took: number;
    try {
      took = await executePlan(this.#db, plan, (durationMs) =>
        direction === 'up' ? this.#history.record(file.name, file.checksum, durationMs) : this.#history.forget(file.name),
      );
    } catch (error) {
      if (!plan.transaction) throw error; // executePlan said which steps stayed
      const e = error as Error;
      const why = e instanceof MigrationError ? e.message : `${e.name}: ${e.message}`;
      throw new MigrationError(`${file.name} (${direction}) failed and was rolled back whole, nothing of it stays: ${why}`, { cause: error });
    }
    r.line(`  ${r.style('green', 'done')} ${r.style('dim', ms(took))}`);
  }

  #summary(what: string, n: number): void {
    if (this.#options.dryRun) this.#reporter.line(this.#reporter.style('cyan', `-- dry run: ${n} migration(s) would be ${what}`));
    else this.#reporter.line(this.#reporter.style('green', `${n} migration(s) ${what}`));
  }
}

function fileOf(files: readonly MigrationFile[], name: string, folder: string): MigrationFile {
  const file = files.find((f) => f.name === name);
  if (!file) throw new MigrationError(`${name} is applied but its file is missing from ${folder}; restore the file to roll it back`);
  return file;
}

function statusOf(files: readonly MigrationFile[], applied: readonly AppliedMigration[]): MigrationStatus[] {
  const byName = new Map(files.map((f) => [f.name, f]));
  const seen = new Set<string>();
  const out: MigrationStatus[] = applied.map((a) => {
    seen.add(a.name);
    const file = byName.get(a.name);
    const state = !file ? 'missing' : file.checksum === a.checksum ? 'applied' : 'changed';
    return { name: a.name, state, appliedAt: a.appliedAt, durationMs: a.durationMs };
  });
  for (const f of files) if (!seen.has(f.name)) out.push({ name: f.name, state: 'pending' });
  return out;
}
