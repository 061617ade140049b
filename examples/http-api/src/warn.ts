import type { Database } from '@pewit/core';
import type { WarnMode, WarnModeLogger } from '@pewit/warn-mode';

/**
 * Enables warn mode unless NODE_ENV is `production`, so development and test
 * runs report a handler that blocks the event loop (a lazy `tweet.user`, a
 * `for…of` over a query). Imported on demand: production never loads it.
 */
export async function developmentWarnMode(db: Database, logger: WarnModeLogger = console): Promise<WarnMode | undefined> {
  if (process.env.NODE_ENV === 'production') return undefined;
  const { enableWarnMode } = await import('@pewit/warn-mode');
  return enableWarnMode(db, { logger });
}
