import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { styleText } from 'node:util';
import { sql } from '@pewit/core';
import { collectingReporter, MigrationRunner, makeMigration } from '@pewit/migrate';
import { PostgresqlDatabase } from '@pewit/pg-backend';
import { models as after } from './models-after.js';
import { models as before } from './models-before.js';

const color = process.stdout.isTTY === true && process.env.NO_COLOR === undefined;
const bold = (t: string) => (color ? styleText('bold', t) : t);
const yellow = (t: string) => (color ? styleText('yellow', t) : t);
const heading = (t: string) => console.log(`\n${bold(t)}`);
const indent = (text: string) => text.replace(/^/gm, '  ');

/**
 * The database may hold other tables (DATABASE_URL is yours): make compares only the example's. Without `ignore`,
 * a table no model declares is dropped by the migration, flagged DESTRUCTIVE.
 */
const theirs = (o: { name: string }) => !o.name.startsWith('example_');

/** Its own history table, so the example never touches an application's `pewit_migrations`. */
const HISTORY = 'example_pewit_migrations';

/**
 * A model change becoming a migration: tables from the old models, then
 * `makeMigration` against the new ones, the file it writes, `up`, make again
 * (nothing left), `down`. Everything it creates is dropped at the end.
 */
export async function showMigration(url: string): Promise<void> {
  const db = new PostgresqlDatabase(url);
  // Inside the example, so the files it writes resolve @pewit/migrate and @pewit/core like an application's do.
  const folder = mkdtempSync(join(fileURLToPath(new URL('..', import.meta.url)), '.migrations-'));
  const runner = () => {
    const reporter = collectingReporter();
    return { reporter, runner: new MigrationRunner(db, { migrations: folder, reporter, table: HISTORY }) };
  };
  try {
    await db.dropTables([...after, ...before], { safe: true, cascade: true });
    heading('1. The tables createTables made from the shipped models');
    await db.createTables(before);
    await db.execute(sql`INSERT INTO example_accounts (username, fullname, age) VALUES (${'ada'}, ${'Ada Lovelace'}, ${36})`);
    console.log('  example_accounts (id, username, fullname, age), with one row: ada, Ada Lovelace, 36');

    heading('2. The models change; makeMigration compares them with the database');
    // fullname → full_name is a rename candidate: decided here, as `--rename` decides it on the command line
    // (without it, `pewit migrate make` asks, and with no answer writes a drop and an add, marked DESTRUCTIVE).
    const made = await makeMigration({
      database: db,
      models: after,
      folder,
      name: 'account_profile',
      renames: ['example_accounts.fullname:example_accounts.full_name'],
      historyTable: HISTORY,
      ignore: theirs,
    });
    for (const step of made.steps) {
      console.log(`  · ${step.summary}`);
      if (step.destructive) console.log(yellow(`    ! DESTRUCTIVE: ${step.destructive}`));
      if (step.downCannot) console.log(yellow(`    ! down: ${step.downCannot}`));
    }
    console.log(`\n  the file it wrote, ${made.path?.slice(folder.length + 1)}:\n`);
    console.log(indent(made.source ?? ''));

    heading('3. migrate up');
    const up = runner();
    await up.runner.up();
    console.log(indent(up.reporter.lines.join('\n')));
    const { rows } = await db.execute(sql`SELECT username, full_name FROM example_accounts`);
    console.log(`  the renamed column kept its data: ${JSON.stringify(rows)}`);

    heading('4. make again: the database matches the models');
    const again = await makeMigration({ database: db, models: after, folder, name: 'again', historyTable: HISTORY, ignore: theirs });
    console.log(`  ${again.path === undefined ? 'nothing to make, no file written' : `unexpected: ${again.path}`}`);

    heading('5. migrate down');
    const down = runner();
    await down.runner.down();
    console.log(indent(down.reporter.lines.join('\n')));
    console.log('  age is back, empty: a down restores the schema, never the data a drop deleted');
  } finally {
    await db.dropTables([...after, ...before], { safe: true, cascade: true }).catch(() => undefined);
    await db.execute(sql`DROP TABLE IF EXISTS ${sql.identifier(HISTORY)}`).catch(() => undefined);
    await db.close();
    rmSync(folder, { recursive: true, force: true });
  }
}
