/**
 * Test options every project repeats. Vitest does not carry the root config's `testTimeout` and `hookTimeout`
 * into the projects of `projects: ['packages/*', 'tests']` (their default 5 s applied, measured), so each
 * project's config spreads these in (vitest-dev/vitest#8559).
 */
export const projectDefaults = {
  // Real servers, tsc runs and child processes on a busy 2-core machine take longer than Vitest's 5 s default.
  testTimeout: 30_000,
  hookTimeout: 60_000,
} as const;
