import { defineProject } from 'vitest/config';
import { projectDefaults } from '../../vitest.shared.js';

export default defineProject({
  extends: true,
  test: {
    ...projectDefaults,
    name: '@pewit/migrate',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The CLI tests start child processes that connect and migrate: seconds each on a busy 2-core machine.
    testTimeout: 60_000,
  },
});
