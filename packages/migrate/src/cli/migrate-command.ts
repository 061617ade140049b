import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { preferredExtension, type ResolvedConfig, redactUrl, resolveConfig } from '../config/config.js';
import type { Reporter } from '../runner/reporter.js';
import { MigrationRunner } from '../runner/runner.js';
import { createMigrationFile } from './create-migration.js';
import { makeCommand } from './make-command.js';
import { UsageError } from './usage-error.js';

/** The flags every `pewit migrate` command takes. */
export const COMMON_OPTIONS = {
  url: { type: 'string' },
  migrations: { type: 'string' },
  config: { type: 'string' },
  'dry-run': { type: 'boolean' },
  force: { type: 'boolean' },
  to: { type: 'string' },
  steps: { type: 'string' },
  ext: { type: 'string' },
  models: { type: 'string', multiple: true },
  rename: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const;

export const MIGRATE_USAGE = `usage: pewit migrate <command> [options]

commands:
  up [--to <name>]     apply pending migrations (up to and including <name>)
  down [--steps <n>]   roll back the last n applied migrations (default 1)
  redo                 roll back the last applied migration and apply it again
  status               list migrations: applied, pending, changed since applied
  create <name>        write an empty migration file
  make <name>          write a migration from the difference between the models and the database

options:
  --url <url>          database URL (default: the config's url, then DATABASE_URL)
  --migrations <dir>   migrations folder (default: the config's, then ./migrations)
  --config <file>      config file (default: ./pewit.config.js, .mjs, .ts or .mts)
  --dry-run            print the SQL, change nothing
  --force              run although an applied migration's file has changed
  --ext js|ts|mjs      extension for create and make (default: ts with a .ts config, else js)
  --models <module>    make: a module exporting the models (repeatable; default: the config's models)
  --rename <old:new>   make: a rename, users.fullname:users.full_name or old_table:new_table (repeatable);
                       other rename candidates are asked on stdin, and without an answer written as drop + add`;

type Values = ReturnType<typeof parse>['values'];

const parse = (args: readonly string[]) => parseArgs({ args: [...args], options: COMMON_OPTIONS, allowPositionals: true, strict: true });

/** A subcommand of `pewit migrate`: its positionals, the parsed flags and the resolved config. */
export type MigrateSubcommand = (positionals: readonly string[], values: Values, config: ResolvedConfig, reporter: Reporter) => Promise<void>;

function steps(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--steps ${value}: a whole number of at least 1`);
  return Number(value);
}

async function withRunner(values: Values, config: ResolvedConfig, reporter: Reporter, fn: (runner: MigrationRunner) => Promise<unknown>): Promise<void> {
  if (!config.url) throw new UsageError('no database URL: pass --url, set url in pewit.config.js, or set DATABASE_URL');
  const where = relative(process.cwd(), config.migrations) || '.';
  reporter.line(
    reporter.style('dim', `database ${redactUrl(config.url)} · migrations ${where}${config.file ? ` · config ${relative(process.cwd(), config.file)}` : ''}`),
  );
  const db = new PostgresqlDatabase(config.url);
  try {
    const runner = new MigrationRunner(db, { migrations: config.migrations, dryRun: values['dry-run'], force: values.force, reporter, table: config.table });
    await fn(runner);
  } finally {
    await db.close();
  }
}

/** `pewit migrate` subcommands by name; other parts of the package add theirs (`make`). */
export const MIGRATE_SUBCOMMANDS: Record<string, MigrateSubcommand> = {
  up: (_p, values, config, reporter) => withRunner(values, config, reporter, (r) => r.up({ to: values.to })),
  down: (_p, values, config, reporter) => withRunner(values, config, reporter, (r) => r.down({ steps: steps(values.steps) })),
  redo: (_p, values, config, reporter) => withRunner(values, config, reporter, (r) => r.redo()),
  status: (_p, values, config, reporter) => withRunner(values, config, reporter, (r) => r.printStatus()),
  create: async (positionals, values, config, reporter) => {
    const name = positionals[0];
    if (name === undefined) throw new UsageError('migrate create <name>: give the migration a name, e.g. add_user_bio');
    const path = await createMigrationFile(config.migrations, name, extension(values, config));
    reporter.line(`${reporter.style('green', 'created')} ${relative(process.cwd(), path)}`);
  },
  make: (positionals, values, config, reporter) =>
    makeCommand(positionals[0], { renames: values.rename ?? [], extension: extension(values, config), dryRun: values['dry-run'] === true }, config, reporter),
};

function extension(values: Values, config: ResolvedConfig): 'js' | 'ts' | 'mjs' {
  const ext = values.ext ?? preferredExtension(config);
  if (ext !== 'js' && ext !== 'ts' && ext !== 'mjs') throw new UsageError(`--ext ${ext}: one of js, ts, mjs`);
  return ext;
}

/** Runs `pewit migrate …` with the arguments after `migrate`. */
export async function migrateCommand(args: readonly string[], reporter: Reporter): Promise<void> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [sub, ...rest] = parsed.positionals;
  if (parsed.values.help || sub === undefined) {
    reporter.line(MIGRATE_USAGE);
    if (sub === undefined && !parsed.values.help) throw new UsageError('pewit migrate: which command?');
    return;
  }
  const command = MIGRATE_SUBCOMMANDS[sub];
  if (!command) throw new UsageError(`pewit migrate ${sub}: unknown command; one of ${Object.keys(MIGRATE_SUBCOMMANDS).join(', ')}`);
  for (const [flag, ...only] of [
    ['to', 'up'],
    ['steps', 'down'],
    ['ext', 'create', 'make'],
    ['models', 'make'],
    ['rename', 'make'],
  ] as const)
    if (parsed.values[flag] !== undefined && !(only as readonly string[]).includes(sub))
      throw new UsageError(`--${flag} belongs to migrate ${only.join(' and ')}, not migrate ${sub}`);
  const config = await resolveConfig({
    url: parsed.values.url,
    migrations: parsed.values.migrations,
    config: parsed.values.config,
    models: parsed.values.models,
  });
  await command(rest, parsed.values, config, reporter);
}
