import { defineConfig } from 'vitest/config';

// One run over every project; each project's own vitest.config.ts holds its settings.
export default defineConfig({
  test: { projects: ['libs/*', 'apps/*', 'tools/*'] },
});
