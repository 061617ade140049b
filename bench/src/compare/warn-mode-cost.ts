import { performance } from 'node:perf_hooks';
import { PooledPostgresqlDatabase } from '@pewit/pooled-backend';
import { enableWarnMode } from '@pewit/warn-mode';
import { median } from '../stats.js';
import { POOL_SIZE, scaled, USERS } from './config.js';
import { pewitModels } from './targets/pewit.js';

/** How warn mode's presence changes W1 (sequential PK lookups): never enabled, enabled then disabled, and enabled. */
export interface WarnModeCost {
  /** Median lookups per second for each variant. */
  readonly perSecond: ReadonlyMap<string, number>;
}

const VARIANTS = ['absent', 'disabled', 'enabled'] as const;

/**
 * Each variant gets its own pooled database (warn mode attaches to a database), all on the same
 * server; rounds interleave the variants, rotating which goes first.
 */
export async function measureWarnModeCost(url: string, rounds: number): Promise<WarnModeCost> {
  const silent = { warn: () => undefined };
  const setups = VARIANTS.map((name) => {
    const db = new PooledPostgresqlDatabase(url, { max: POOL_SIZE, idleTimeoutMillis: 0 });
    if (name === 'disabled') enableWarnMode(db, { logger: silent }).disable();
    if (name === 'enabled') enableWarnMode(db, { logger: silent });
    return { name, db, ...pewitModels(db) };
  });
  // Many short chunks, rotating which variant goes first, so drift (other load, the server's caches) hits all three alike.
  const ops = scaled(500, 50);
  const chunks = rounds * 8;
  const rates = new Map<string, number[]>(VARIANTS.map((n) => [n, []]));
  try {
    for (const { User } of setups) for (let i = 1; i <= 50; i++) await User.getById(i);
    for (let chunk = 0; chunk < chunks; chunk++) {
      for (let k = 0; k < setups.length; k++) {
        const { name, User } = setups[(k + chunk) % setups.length] as (typeof setups)[number];
        const start = performance.now();
        for (let i = 0; i < ops; i++) await User.getById(((i * 7_919) % USERS) + 1);
        rates.get(name)?.push(ops / ((performance.now() - start) / 1000));
      }
    }
  } finally {
    for (const { db } of setups) await db.close();
  }
  return { perSecond: new Map([...rates].map(([name, values]) => [name, median(values)])) };
}

/** The markdown table of the warn-mode measurement. */
export function warnModeLines(cost: WarnModeCost): string {
  const absent = cost.perSecond.get('absent') ?? Number.NaN;
  const label: Record<(typeof VARIANTS)[number], string> = {
    absent: 'warn mode never enabled (absent)',
    disabled: '`enableWarnMode(db).disable()` (disabled)',
    enabled: '`enableWarnMode(db)` (enabled; async lookups are never reported)',
  };
  return [
    '| variant | PK lookups / s (median) | ÷ absent |',
    '|---|---:|---:|',
    ...VARIANTS.map((name) => {
      const rate = cost.perSecond.get(name) ?? Number.NaN;
      return `| ${label[name]} | ${Math.round(rate).toLocaleString('en-US')} | ${(rate / absent).toFixed(2)}× |`;
    }),
  ].join('\n');
}
