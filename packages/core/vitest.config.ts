import { defineProject } from 'vitest/config';
import { projectDefaults } from '../../vitest.shared.js';

export default defineProject({
  extends: true,
  test: {
    ...projectDefaults,
    name: '@pewit/core',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: './tsconfig.test.json' },
  },
});
