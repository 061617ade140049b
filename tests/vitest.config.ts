import { defineProject } from 'vitest/config';

export default defineProject({
  extends: true,
  // The root config's timeouts do not reach a project defined in its own file (vitest-dev/vitest#8559), and these
  // tests start servers and child processes: on a loaded 2-core machine 5 s is too short for several of them.
  test: { name: '@pewit/integration-tests', include: ['src/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 60_000 },
});
