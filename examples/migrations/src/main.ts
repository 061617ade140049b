/**
 * The migrations example (`npm start -w @pewit/example-migrations`): a model
 * change becoming a migration, applied and rolled back, against DATABASE_URL
 * or a throwaway embedded PostgreSQL. It creates and drops only its own
 * tables (example_accounts, example_notes, example_pewit_migrations).
 */
import { databaseFailureLine, redactUrl } from '@pewit/test-support/database-failure';
import { EmbeddedServerError, startEmbeddedServer } from '@pewit/test-support/embedded-server';
import { showMigration } from './show-migration.js';

console.log('pewit: from a model change to a migration, and back');
// An empty DATABASE_URL counts as unset.
const external = process.env.DATABASE_URL || undefined;
let server: { url: string; stop(): Promise<void> } | undefined;
try {
  if (external) console.log(`using DATABASE_URL ${redactUrl(external)}`);
  else {
    console.log('DATABASE_URL is not set: starting a throwaway embedded PostgreSQL…');
    server = await startEmbeddedServer();
  }
  await showMigration(external ?? (server as { url: string }).url);
  console.log('\nDone: the example dropped what it created.');
} catch (error) {
  const line = error instanceof EmbeddedServerError ? error.message : databaseFailureLine(error, external ?? server?.url ?? '');
  if (line === undefined) throw error;
  console.error(line);
  process.exitCode = 1;
} finally {
  await server?.stop();
}
