import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: '@pewit/integration-tests', include: ['src/**/*.test.ts'] },
});
