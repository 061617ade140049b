import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: '@pewit/core', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
