import { defineConfig } from 'vitest/config';
import { projectDefaults } from './vitest.shared.js';

export default defineConfig({
  test: {
    projects: ['packages/*', 'tests'],
    globalSetup: ['./test-support/src/global-setup.ts'],
    // Files share one server but each gets its own database; keep the 2-core machines responsive.
    maxWorkers: 2,
    ...projectDefaults,
  },
});
