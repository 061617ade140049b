import type { TestProject } from 'vitest/node';
import { checkDatabase } from './database-failure.js';
import { EmbeddedServerError, startEmbeddedServer } from './embedded-server.js';
import { missingPgBouncer, pgBouncerBinary } from './pgbouncer/binary.js';

import './provided-context.js';

/** vitest would frame a thrown error as an "Unhandled Error" with a stack; the run ends with its message instead. */
function endRun(message: string): never {
  console.error(`\n${message}\n`);
  process.exit(1);
}

/**
 * Tells the PgBouncer tests which binary to run. Without one they are skipped, said here once for the whole run;
 * under CI=true they run anyway and fail with the same advice (usePgBouncer), so CI cannot pass without them.
 */
function providePgBouncer(project: TestProject): void {
  const binary = pgBouncerBinary() ?? '';
  if (!binary && process.env.CI !== 'true') console.log(`PgBouncer tests skipped: ${missingPgBouncer()}`);
  project.provide('pgbouncerBinary', binary);
}

/**
 * Gives the test run a real PostgreSQL: the one in DATABASE_URL when set (checked first, so a server that is
 * down or refuses the login ends the run with one line, its URL shown without the password), otherwise a
 * throwaway embedded server, stopped and deleted at the end (one that cannot start ends the run with its log).
 * Each test file then creates its own database on it.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  providePgBouncer(project);
  const external = process.env.DATABASE_URL;
  if (external) {
    await checkDatabase(external).catch((error: Error) => endRun(error.message));
    project.provide('adminUrl', external);
    return undefined;
  }
  const server = await startEmbeddedServer().catch((error: unknown) => {
    if (error instanceof EmbeddedServerError) endRun(error.message);
    throw error;
  });
  project.provide('adminUrl', server.url);
  return () => server.stop();
}
