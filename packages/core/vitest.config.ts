import { defineProject } from 'vitest/config';

export default defineProject({
  extends: true,
  test: {
    name: '@pewit/core',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.test.json' },
  },
});
