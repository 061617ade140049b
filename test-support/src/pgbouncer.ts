import './provided-context.js';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { missingPgBouncer } from './pgbouncer/binary.js';
import type { PgBouncerSettings } from './pgbouncer/config.js';
import { type PgBouncerInstance, startPgBouncer } from './pgbouncer/process.js';

export { INSTALL_PGBOUNCER, missingPgBouncer, pgBouncerBinary } from './pgbouncer/binary.js';
export type { PgBouncerSettings } from './pgbouncer/config.js';
export { PgBouncerError, type PgBouncerInstance, startPgBouncer } from './pgbouncer/process.js';

/** What {@link usePgBouncer} hands a test file. */
export interface PgBouncerFixture {
  /** True when PgBouncer is not installed and this is not CI: wrap the file's tests in `describe.skipIf(skipped)`. */
  readonly skipped: boolean;
  /** URL of `database` through PgBouncer (inside tests and hooks). */
  url(database: string): string;
  /** Runs one command on PgBouncer's admin console, e.g. `SHOW POOLS`; rows as objects. */
  admin(command: string): Promise<Record<string, unknown>[]>;
  /** The running instance (inside tests and hooks). */
  readonly instance: PgBouncerInstance;
}

/**
 * Registers hooks that run a PgBouncer of the calling test file's own in front of the test server (pool mode
 * `transaction` and 5 server connections per database unless `settings` say otherwise), stopped afterwards.
 * Without PgBouncer the global set-up printed how to install it and `skipped` is true; under `CI=true` the
 * file's tests fail instead, with that message.
 *
 * @example
 * const database = useTestDatabase();
 * const bouncer = usePgBouncer({ poolSize: 5 });
 * describe.skipIf(bouncer.skipped)('behind PgBouncer', () => {
 *   it('works', () => new PooledPostgresqlDatabase(bouncer.url(database.name()), { statementCacheSize: 0 }));
 * });
 */
export function usePgBouncer(settings: PgBouncerSettings = {}): PgBouncerFixture {
  const installed = inject('pgbouncerBinary') !== '';
  const skipped = !installed && process.env.CI !== 'true';
  let instance: PgBouncerInstance | undefined;
  const notInstalled = () => new Error(`${missingPgBouncer()}; under CI=true the PgBouncer tests run, and fail without it`);
  beforeAll(async () => {
    if (skipped) return;
    if (!installed) throw notInstalled();
    instance = await startPgBouncer(inject('adminUrl'), settings);
  });
  afterAll(async () => {
    await instance?.stop();
  });
  const running = (): PgBouncerInstance => {
    if (instance) return instance;
    if (!installed) throw notInstalled();
    throw new Error('usePgBouncer(): PgBouncer runs only inside tests and hooks');
  };
  return {
    skipped,
    url: (database) => running().url(database),
    get instance() {
      return running();
    },
    admin: async (command) => {
      const client = new pg.Client({ connectionString: running().adminUrl });
      await client.connect();
      try {
        return (await client.query(command)).rows as Record<string, unknown>[];
      } finally {
        await client.end();
      }
    },
  };
}
