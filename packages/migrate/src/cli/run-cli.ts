import { runIntrospectCommand } from '../introspect/introspect-command.js';
import { MigrationError } from '../operations/definition-error.js';
import { type Reporter, streamReporter } from '../runner/reporter.js';
import { migrateCommand } from './migrate-command.js';
import { UsageError } from './usage-error.js';

/**
 * Top-level commands of `pewit` by name. A command either throws (a UsageError is exit code 2, anything else 1) or
 * resolves to its own exit code when it reports its errors itself (`introspect` writes source to stdout).
 */
export const COMMANDS: Record<string, (args: readonly string[], reporter: Reporter) => Promise<unknown>> = {
  migrate: migrateCommand,
  introspect: (args) => runIntrospectCommand(args),
};

const USAGE = `usage: pewit <command> …

commands:
  migrate up|down|redo|status|create|make   run and write migrations (pewit migrate --help)
  introspect                           write models from an existing database (pewit introspect --help)`;

/**
 * The `pewit` command line. Returns the exit code: 0, 1 when a migration or
 * the database failed, 2 for a command line it cannot run.
 *
 * @example await runCli(['migrate', 'status']) // prints each migration's state; 0
 */
export async function runCli(
  argv: readonly string[],
  out: Reporter = streamReporter(process.stdout),
  err: Reporter = streamReporter(process.stderr),
): Promise<number> {
  const [command, ...rest] = argv;
  const run = command === undefined ? undefined : COMMANDS[command];
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    out.line(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (!run) {
    err.line(`pewit ${command}: unknown command\n${USAGE}`);
    return 2;
  }
  try {
    const code = await run(rest, out);
    return typeof code === 'number' ? code : 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err.line(err.style('red', `error: ${error.message}`));
      return 2;
    }
    // Expected failures are their message; anything else keeps its name (OperationalError, IntegrityError…) to search by.
    const e = error as Error;
    err.line(err.style('red', `error: ${error instanceof MigrationError ? e.message : `${e.name}: ${e.message}`}`));
    return 1;
  }
}
