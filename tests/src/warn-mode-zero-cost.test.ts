// Proves docs/blocking-and-async.md "Only in development": when nobody listens to the evaluation event (warn mode
// never enabled, or enabled and then disabled), core does not build the event at all. Building it reads the
// execution's `blockingAllowed`; that read is what this counts. The class is reached in the built core by its file,
// the one module instance @pewit/core itself uses: this claim is about core's inside, so the test looks there.
import type { PostgresqlDatabase } from '@pewit/pg-backend';
import { useTestDatabase } from '@pewit/test-support';
import { enableWarnMode } from '@pewit/warn-mode';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Execution } from '../../packages/core/dist/database/execution.js';
import { type twitterModels, useTwitterDatabase } from './fixtures.js';

const database = useTestDatabase();
let db: PostgresqlDatabase;
let models: ReturnType<typeof twitterModels>;
useTwitterDatabase(
  database.url,
  async ({ User }) => {
    await User.create({ username: 'ada' });
  },
  (opened, m) => {
    db = opened;
    models = m;
  },
);
afterEach(() => {
  vi.restoreAllMocks();
});

/** Evaluations of every kind: async, blocking, a multi-statement program. */
async function evaluateSome() {
  const { User } = models;
  await User.select().count();
  db.allowBlocking(() => User.select().countSync());
  await User.getOrCreate({ username: 'ada' });
}

describe('warn mode costs nothing when it is not listening', () => {
  it('never enabled: no evaluation event is built', async () => {
    const reads = vi.spyOn(Execution.prototype, 'blockingAllowed', 'get');
    await evaluateSome();
    expect(reads).not.toHaveBeenCalled();
  });

  it('enabled: each evaluation builds its event; disabled again: none is built', async () => {
    const reads = vi.spyOn(Execution.prototype, 'blockingAllowed', 'get');
    const warn = enableWarnMode(db, { logger: { warn: () => undefined } });
    await evaluateSome();
    expect(reads.mock.calls.length).toBeGreaterThanOrEqual(3);
    warn.disable();
    reads.mockClear();
    await evaluateSome();
    expect(reads).not.toHaveBeenCalled();
  });
});
