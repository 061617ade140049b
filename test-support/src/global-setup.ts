import type { TestProject } from 'vitest/node';
import { startEmbeddedServer } from './embedded-server.js';
import { withoutExitOverride } from './keep-exit-code.js';

import './provided-context.js';

/**
 * Gives the test run a real PostgreSQL: the one in DATABASE_URL when set,
 * otherwise a throwaway embedded server, stopped and deleted at the end.
 * Each test file then creates its own database on it.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const external = process.env.DATABASE_URL;
  if (external) {
    project.provide('adminUrl', external);
    return undefined;
  }
  const server = await withoutExitOverride(startEmbeddedServer);
  project.provide('adminUrl', server.url);
  return () => server.stop();
}
