import { defineProject } from 'vitest/config';

// quickstart.test.ts runs the real quickstart (a web build the first time): long timeouts.
export default defineProject({
  test: { name: 'scripts', include: ['**/*.test.ts'], testTimeout: 600_000, hookTimeout: 120_000 },
});
