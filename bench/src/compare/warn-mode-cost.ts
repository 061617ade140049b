import { performance } from 'node:perf_hooks';
import { type Connection, Database, type Driver, type RawResult, type Statement } from '@pewit/core';
import { enableWarnMode } from '@pewit/warn-mode';
import { median } from '../stats.js';
import { scaled } from './config.js';
import { pewitModels } from './targets/pewit.js';

/**
 * What warn mode costs pewit's choke point when it is absent, disabled, or enabled (async evaluations are
 * never reported, so enabled still costs only the listener call). Measured in process, on a database whose
 * transport answers at once with one `bench_users` row: through a real server, two connections of one run
 * differ by far more than this (which core the server process lands on), so a real round trip would
 * measure noise. Everything pewit does per evaluation runs: build, compile, events, hydration.
 */
export interface WarnModeCost {
  /** Median µs per `await User.getById(id)`, for each variant. */
  readonly micros: ReadonlyMap<string, number>;
}

const VARIANTS = ['absent', 'disabled', 'enabled'] as const;
const USER_ROW: RawResult = Object.freeze({
  command: 'SELECT',
  rowCount: 1,
  fields: [
    { name: 'id', typeId: 23 },
    { name: 'username', typeId: 25 },
    { name: 'email', typeId: 25 },
    { name: 'created_at', typeId: 1184 },
  ],
  rows: [['1', 'c4ca4238a0b923820dcc509a6f75849b', 'user1@example.com', '2024-01-01 00:01:00+00']],
});

/** A `Driver` (the backend contract) whose transport returns the same row without I/O. */
class AnsweringDriver implements Driver {
  readonly #connection: Connection = { query: (_: Statement) => Promise.resolve(USER_ROW) };
  readonly supportsConcurrentConnections = false;
  acquire(): Promise<Connection> {
    return Promise.resolve(this.#connection);
  }
  release(): void {}
  sendBlocking(): RawResult {
    return USER_ROW;
  }
  async shutdown(): Promise<void> {}
}

export async function measureWarnModeCost(rounds: number): Promise<WarnModeCost> {
  const silent = { warn: () => undefined };
  const setups = VARIANTS.map((name) => {
    const db = new Database(new AnsweringDriver());
    if (name === 'disabled') enableWarnMode(db, { logger: silent }).disable();
    if (name === 'enabled') enableWarnMode(db, { logger: silent });
    return { name, ...pewitModels(db) };
  });
  const ops = scaled(20_000, 1_000);
  const samples = new Map<string, number[]>(VARIANTS.map((n) => [n, []]));
  for (const { User } of setups) for (let i = 1; i <= 2_000; i++) await User.getById(i);
  // Many rounds, rotating which variant goes first, so drift (JIT, GC, other load) hits all three alike.
  for (let round = 0; round < rounds * 4; round++) {
    for (let k = 0; k < setups.length; k++) {
      const { name, User } = setups[(k + round) % setups.length] as (typeof setups)[number];
      const start = performance.now();
      for (let i = 0; i < ops; i++) await User.getById(i + 1);
      samples.get(name)?.push(((performance.now() - start) * 1_000) / ops);
    }
  }
  return { micros: new Map([...samples].map(([name, values]) => [name, median(values)])) };
}

/** The markdown table of the warn-mode measurement. */
export function warnModeLines(cost: WarnModeCost): string {
  const absent = cost.micros.get('absent') ?? Number.NaN;
  const label: Record<(typeof VARIANTS)[number], string> = {
    absent: 'warn mode never enabled (absent)',
    disabled: '`enableWarnMode(db).disable()` (disabled)',
    enabled: '`enableWarnMode(db)` (enabled; async lookups are never reported)',
  };
  return [
    '| variant | pewit time per `await User.getById(id)`, transport excluded (median) | ÷ absent |',
    '|---|---:|---:|',
    ...VARIANTS.map((name) => {
      const us = cost.micros.get(name) ?? Number.NaN;
      return `| ${label[name]} | ${us.toFixed(2)} µs | ${(us / absent).toFixed(2)}× |`;
    }),
  ].join('\n');
}
