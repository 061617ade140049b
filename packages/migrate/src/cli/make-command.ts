import { relative } from 'node:path';
import { type ResolvedConfig, redactUrl } from '../config/config.js';
import { makeMigration } from '../make/make-migration.js';
import { MigrationError } from '../operations/definition-error.js';
import type { Reporter } from '../runner/reporter.js';
import { stdinAsker } from './stdin-asker.js';
import { UsageError } from './usage-error.js';

/** What `migrate make` reads from the command line. */
export interface MakeFlags {
  readonly renames: readonly string[];
  readonly extension: 'js' | 'ts' | 'mjs';
  readonly dryRun: boolean;
}

/**
 * `pewit migrate make <name>`: the models against the live database, written
 * as a migration file. Rename candidates not decided by `--rename` are asked
 * on stdin; destructive steps and what their down cannot restore are printed.
 *
 * @example await makeCommand('add_bio', { renames: [], extension: 'js', dryRun: false }, config, reporter)
 * // created migrations/20261203130501_add_bio.js (1 step)
 */
export async function makeCommand(name: string | undefined, flags: MakeFlags, config: ResolvedConfig, reporter: Reporter): Promise<void> {
  if (name === undefined) throw new UsageError('migrate make <name>: give the migration a name, e.g. add_user_bio');
  if (!config.url) throw new UsageError('no database URL: pass --url, set url in pewit.config.js, or set DATABASE_URL');
  const r = reporter;
  const where = relative(process.cwd(), config.migrations) || '.';
  const models = config.models.map((m) => relative(process.cwd(), m)).join(', ');
  const file = config.file ? ` · config ${relative(process.cwd(), config.file)}` : '';
  r.line(r.style('dim', `database ${redactUrl(config.url)} · migrations ${where} · models ${models || '(none)'}${file}`));
  const asker = stdinAsker();
  let made: Awaited<ReturnType<typeof makeMigration>>;
  try {
    made = await makeMigration({
      database: config.url,
      models: config.models,
      folder: config.migrations,
      name,
      renames: flags.renames,
      ask: (question) => asker.ask(r.style('bold', question)),
      extension: flags.extension,
      historyTable: config.table,
      dryRun: flags.dryRun,
    });
  } catch (error) {
    // A --rename the diff does not allow is a command line pewit cannot run: exit code 2, like an unknown flag.
    if (error instanceof MigrationError && error.message.startsWith('--rename ')) throw new UsageError(error.message);
    throw error;
  } finally {
    asker.close();
  }
  for (const note of made.notes) r.line(r.style('dim', `  note: ${note}`));
  if (made.steps.length === 0) {
    r.line(r.style('green', 'nothing to make: the database matches the models'));
    return;
  }
  for (const step of made.steps) {
    r.line(`  · ${step.summary}`);
    for (const note of step.notes ?? []) r.line(r.style('dim', `    note: ${note}`));
    if (step.destructive) r.line(r.style('yellow', `    ! DESTRUCTIVE: ${step.destructive}`));
    if (step.downCannot) r.line(r.style('yellow', `    ! down: ${step.downCannot}`));
  }
  const count = `${made.steps.length} step${made.steps.length === 1 ? '' : 's'}`;
  if (made.path === undefined) {
    r.line(r.style('cyan', `-- dry run: the migration would hold ${count}; nothing written`));
    r.line(made.source ?? '');
    return;
  }
  r.line(`${r.style('green', 'created')} ${relative(process.cwd(), made.path)} (${count}; read it, then: pewit migrate up)`);
}
