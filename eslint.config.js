import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/.next/**', '**/node_modules/**', 'libs/db/src/generated/**', '**/next-env.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read config through the app env.ts.' }],
    },
  },
  {
    // Plain-JS entry points run by Node before anything is installed or compiled.
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['**/env.ts', 'scripts/**', 'bench/**', '**/*.test.ts', '**/testing/**', '**/testing.ts', '**/vitest.config.ts', 'prisma.config.ts', 'libs/client/src/cli/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
