/**
 * `npm start -w @pewit/example-http-api`: serves on $PORT (default 3000)
 * against $DATABASE_URL, or a throwaway embedded PostgreSQL when it is unset.
 * A database that cannot be reached, or refuses the login, ends it with one
 * line (password masked).
 */
import { databaseFailureLine } from '@pewit/test-support/database-failure';
import { EmbeddedServerError, startEmbeddedServer } from '@pewit/test-support/embedded-server';
import { type Running, start } from './start.js';

// An empty DATABASE_URL counts as unset.
const external = process.env.DATABASE_URL || undefined;
let embedded: { url: string; stop(): Promise<void> } | undefined;
let running: Running;
try {
  if (!external) {
    embedded = await startEmbeddedServer();
    console.log('DATABASE_URL is not set: using a throwaway embedded PostgreSQL');
  }
  running = await start({ databaseUrl: external ?? embedded?.url });
} catch (error) {
  await embedded?.stop();
  const line = error instanceof EmbeddedServerError ? error.message : databaseFailureLine(error, external ?? embedded?.url ?? '');
  if (line === undefined) throw error;
  console.error(line);
  process.exit(1);
}
console.log(`listening on ${running.url}  (try: curl ${running.url}/users)`);

const stop = async () => {
  await running.close();
  await embedded?.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
