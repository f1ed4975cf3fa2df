// Lint for the whole workspace; every project runs it through `npm run lint` (nx, cached).
// Module boundaries come from the nx tags in each package.json; the table and the reasons
// are in docs/ARCHITECTURE.md, "Enforced boundaries". tools/lint/boundaries.test.ts proves
// that the rules below fire.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** What a browser bundle, and the schemas it imports, must never pull in. */
const SERVER_PACKAGES = ['@tensorflow/*', 'bullmq', 'ioredis', '@prisma/*', 'pg'];

/**
 * @nx/enforce-module-boundaries options. onlyDependOnLibsWithTags checks direct imports;
 * notDependOnLibsWithTags follows the project graph transitively. The rule counts
 * `import type` as a dependency like any other import, so where a project may use another
 * only for its types (web and client -> api-routers) the direct edge is allowed here and
 * value imports are refused by @typescript-eslint/no-restricted-imports further down.
 *
 * `tests: true` is the variant for test code (tests, testing helpers, e2e): apps' tests may
 * seed and drive the stack through any lib; libs' tests keep the libs' rules.
 */
function boundaries({ tests = false } = {}) {
  const app = (sourceTag, libs, rest = {}) =>
    tests ? { sourceTag, onlyDependOnLibsWithTags: ['type:lib'] } : { sourceTag, onlyDependOnLibsWithTags: libs, ...rest };
  return {
    depConstraints: [
      // Apps depend on libs, libs on libs; nothing depends on an app.
      { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
      { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
      // libs/schemas: shared definitions, imported by everyone including the browser.
      { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: [], bannedExternalImports: SERVER_PACKAGES },
      // libs/analysis: overfitting analysis, pure and tfjs-free (API, web, CLI and tests use it).
      { sourceTag: 'scope:analysis', onlyDependOnLibsWithTags: ['scope:shared'], bannedExternalImports: SERVER_PACKAGES },
      // libs/sweeps: sweep expansion, TPE, Hyperband, importance; pure and tfjs-free.
      { sourceTag: 'scope:sweeps', onlyDependOnLibsWithTags: ['scope:shared'], bannedExternalImports: SERVER_PACKAGES },
      // libs/models, libs/data: tfjs; no server, queue or database.
      { sourceTag: 'scope:ml', onlyDependOnLibsWithTags: ['scope:ml', 'scope:analysis', 'scope:shared'] },
      { sourceTag: 'scope:queue', onlyDependOnLibsWithTags: ['scope:shared'] },
      { sourceTag: 'scope:db', onlyDependOnLibsWithTags: ['scope:shared'] },
      // libs/api-routers: routers and services.
      { sourceTag: 'scope:server', onlyDependOnLibsWithTags: ['scope:db', 'scope:queue', 'scope:analysis', 'scope:sweeps', 'scope:shared'] },
      // libs/client: the typed client (router for its types only); never tfjs, not even transitively.
      { sourceTag: 'scope:client', onlyDependOnLibsWithTags: ['scope:server', 'scope:shared'], notDependOnLibsWithTags: ['scope:ml'], bannedExternalImports: ['@tensorflow/*'] },
      app('scope:api', ['scope:server', 'scope:db', 'scope:queue', 'scope:analysis', 'scope:sweeps', 'scope:shared'], { notDependOnLibsWithTags: ['scope:ml'] }),
      app('scope:web', ['scope:client', 'scope:server', 'scope:analysis', 'scope:sweeps', 'scope:shared'], { notDependOnLibsWithTags: ['scope:ml'], bannedExternalImports: SERVER_PACKAGES }),
      app('scope:worker', ['scope:client', 'scope:ml', 'scope:queue', 'scope:analysis', 'scope:shared'], { bannedExternalImports: ['@prisma/*', 'pg'] }),
      // apps/cli, the `hz` binary (split out of libs/client).
      app('scope:cli', ['scope:client', 'scope:ml', 'scope:analysis', 'scope:sweeps', 'scope:shared'], { bannedExternalImports: ['@prisma/*', 'pg', 'bullmq', 'ioredis'] }),
    ],
  };
}

/** Types only: the router's code (Prisma, argon2, BullMQ) must not reach a browser or the client. */
const ROUTER_TYPES_ONLY = {
  paths: [{ name: '@hyperzoo/api-routers', allowTypeImports: true, message: 'Only `import type` from the router (its code is server-only).' }],
  patterns: [{ group: ['@hyperzoo/api-routers/*'], allowTypeImports: true, message: 'Only `import type` from the router (its code is server-only).' }],
};

const TEST_FILES = ['**/*.test.ts', '**/*.test.tsx', '**/testing/**', '**/testing.ts', '**/e2e/**', '**/test-fixtures.ts'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/.next/**', '**/node_modules/**', 'libs/db/src/generated/**', '**/next-env.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries()],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // Its "type arguments may be inferred from the assertion" check flags the idiomatic
      // `tf.tidy(() => ...) as tf.Tensor` of tfjs code all over libs/models.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // `async` without `await` is how an API that wants a promise gets one (next.config rewrites,
      // a sync loader whose throw must become a rejection); a forgotten await is no-floating-promises' job.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read config through the app env.ts.' }],
    },
  },
  {
    files: TEST_FILES,
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries({ tests: true })],
      // Tests read JSON (files on disk, HTTP bodies) without a schema: `any` is fine there.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['apps/web/src/**', 'libs/client/src/**'],
    ignores: TEST_FILES,
    rules: { '@typescript-eslint/no-restricted-imports': ['error', ROUTER_TYPES_ONLY] },
  },
  {
    // Plain-JS entry points run by Node before anything is installed or compiled.
    files: ['**/*.mjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
  {
    files: ['**/env.ts', 'scripts/**', 'bench/**', 'tools/**', ...TEST_FILES, '**/vitest.config.ts', 'prisma.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
