/**
 * The pewit tour (`npm start`): runs against DATABASE_URL, or a throwaway
 * embedded PostgreSQL that is deleted afterwards.
 */
// Warn mode points at the line you wrote; with source maps that is the .ts line. Only modules loaded after this call are mapped, hence the dynamic imports.
process.setSourceMapsEnabled(true);

const { bold, dim, heading, say } = await import('./style.js');
const { runTour } = await import('./tour.js');

console.log(bold('pewit: a peewee-style ORM for TypeScript and PostgreSQL'));
heading('0. A database');
let server: { url: string; stop(): Promise<void> } | undefined;
if (process.env.DATABASE_URL) {
  say(`using DATABASE_URL ${dim(process.env.DATABASE_URL.replace(/:[^:@/]*@/, ':***@'))}`);
} else {
  say('DATABASE_URL is not set: starting a throwaway embedded PostgreSQL…');
  const { startEmbeddedServer } = await import('@pewit/test-support/embedded-server');
  server = await startEmbeddedServer();
  say(`started on port ${dim(new URL(server.url).port)}`);
}
try {
  await runTour(process.env.DATABASE_URL ?? (server as { url: string }).url);
} finally {
  await server?.stop();
}
