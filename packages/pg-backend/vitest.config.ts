import { defineProject } from 'vitest/config';

export default defineProject({
  extends: true,
  test: { name: '@pewit/pg-backend', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
