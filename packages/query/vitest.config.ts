import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: '@pewit/query', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
