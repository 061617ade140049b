import { defineProject } from 'vitest/config';

export default defineProject({
  extends: true,
  test: { name: '@pewit/pooled-backend', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
