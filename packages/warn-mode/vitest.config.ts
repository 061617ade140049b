import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: '@pewit/warn-mode', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
