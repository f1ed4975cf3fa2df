import { defineProject } from 'vitest/config';

// e2e/ builds and starts the real Next server and drives Chromium: long timeouts.
export default defineProject({
  test: { include: ['src/**/*.test.ts', 'e2e/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 240_000 },
});
