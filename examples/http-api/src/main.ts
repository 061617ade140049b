/**
 * `npm start -w @pewit/example-http-api`: serves on $PORT (default 3000)
 * against $DATABASE_URL, or a throwaway embedded PostgreSQL when it is unset.
 */
import { start } from './start.js';

let embedded: { url: string; stop(): Promise<void> } | undefined;
if (!process.env.DATABASE_URL) {
  const { startEmbeddedServer } = await import('@pewit/test-support/embedded-server');
  embedded = await startEmbeddedServer();
  console.log('DATABASE_URL is not set: using a throwaway embedded PostgreSQL');
}
const running = await start({ databaseUrl: process.env.DATABASE_URL ?? embedded?.url });
console.log(`listening on ${running.url}  (try: curl ${running.url}/users)`);

const stop = async () => {
  await running.close();
  await embedded?.stop();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
