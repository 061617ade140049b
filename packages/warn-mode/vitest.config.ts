import { defineProject } from 'vitest/config';

export default defineProject({
  extends: true,
  test: { name: '@pewit/warn-mode', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
