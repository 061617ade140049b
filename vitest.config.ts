import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['packages/*', 'tests'],
    globalSetup: ['./test-support/src/global-setup.ts'],
    // Files share one server but each gets its own database; keep the 2-core machines responsive.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
