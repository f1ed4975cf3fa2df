import { defineProject } from 'vitest/config';

// Type-aware lint builds a TypeScript program per linted project: slow on first use.
export default defineProject({
  test: { name: 'tools-lint', include: ['*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000 },
});
