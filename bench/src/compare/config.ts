/** Run settings, from the environment. BENCH_SCALE scales every operation count (0.1 for a quick run). */
export const SCALE = Number(process.env.BENCH_SCALE ?? 1);
export const ROUNDS = Math.max(3, Number(process.env.BENCH_ROUNDS ?? 5));
/** Table sizes are fixed: the workloads are defined on 10k users and 100k posts whatever the scale. */
export const USERS = 10_000;
export const POSTS = 100_000;
export const POOL_SIZE = 10;
export const IN_FLIGHT = 64;

/** An operation count at the current scale (at least `min`). */
export function scaled(count: number, min = 1): number {
  return Math.max(min, Math.round(count * SCALE));
}
