import { defineProject } from 'vitest/config';

export default defineProject({
  extends: true,
  // The CLI tests start child processes that connect and migrate: seconds each on a busy 2-core machine.
  test: { name: '@pewit/migrate', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 60_000 },
});
