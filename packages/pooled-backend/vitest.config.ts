import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: '@pewit/pooled-backend', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
