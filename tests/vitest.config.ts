import { defineProject } from 'vitest/config';

export default defineProject({
  extends: true,
  test: { name: '@pewit/integration-tests', include: ['src/**/*.test.ts'] },
});
