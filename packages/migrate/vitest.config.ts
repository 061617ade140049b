import { defineProject } from 'vitest/config';

export default defineProject({
  extends: true,
  test: { name: '@pewit/migrate', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
