/**
 * The pewit tour (`npm start`): runs against DATABASE_URL, or a throwaway
 * embedded PostgreSQL that is deleted afterwards. A database that cannot be
 * reached, or refuses the login, ends it with one line (password masked).
 */
// Warn mode points at the line you wrote; with source maps that is the .ts line. Only modules loaded after this call are mapped, hence the dynamic imports.
process.setSourceMapsEnabled(true);

const { bold, dim, heading, red, say } = await import('./style.js');
const { runTour } = await import('./tour.js');
const { databaseFailureLine, redactUrl } = await import('@pewit/test-support/database-failure');
const { EmbeddedServerError, startEmbeddedServer } = await import('@pewit/test-support/embedded-server');

console.log(bold('pewit: a peewee-style ORM for TypeScript and PostgreSQL'));
heading('0. A database');
// An empty DATABASE_URL counts as unset.
const external = process.env.DATABASE_URL || undefined;
let server: { url: string; stop(): Promise<void> } | undefined;
try {
  if (external) {
    say(`using DATABASE_URL ${dim(redactUrl(external))}`);
  } else {
    say('DATABASE_URL is not set: starting a throwaway embedded PostgreSQL…');
    server = await startEmbeddedServer();
    say(`started on port ${dim(new URL(server.url).port)}`);
  }
  await runTour(external ?? (server as { url: string }).url);
} catch (error) {
  const line = error instanceof EmbeddedServerError ? error.message : databaseFailureLine(error, external ?? server?.url ?? '');
  if (line === undefined) throw error;
  console.error(red(line));
  process.exitCode = 1;
} finally {
  await server?.stop();
}
