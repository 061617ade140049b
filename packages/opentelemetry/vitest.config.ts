import { defineProject } from 'vitest/config';
import { projectDefaults } from '../../vitest.shared.js';

export default defineProject({
  extends: true,
  test: {
    ...projectDefaults,
    name: '@pewit/opentelemetry',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  },
});
