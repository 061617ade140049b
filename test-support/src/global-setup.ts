import type { TestProject } from 'vitest/node';
import { checkDatabase } from './database-failure.js';
import { startEmbeddedServer } from './embedded-server.js';

import './provided-context.js';

/**
 * Gives the test run a real PostgreSQL: the one in DATABASE_URL when set (checked first, so a server that is
 * down or refuses the login ends the run with one line, its URL shown without the password), otherwise a
 * throwaway embedded server, stopped and deleted at the end. Each test file then creates its own database on it.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env.DATABASE_URL;
  if (external) {
    // vitest would frame a thrown error as an "Unhandled Error"; the run ends here with the one line instead.
    await checkDatabase(external).catch((error: Error) => {
      console.error(`\n${error.message}\n`);
      process.exit(1);
    });
    project.provide('adminUrl', external);
    return undefined;
  }
  const server = await startEmbeddedServer();
  project.provide('adminUrl', server.url);
  return () => server.stop();
}
