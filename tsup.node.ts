import { defineConfig } from 'tsup';

/**
 * Node apps: bundle the workspace libs (consumed as TS source), keep every npm package
 * external (native addons such as @node-rs/argon2 and sharp cannot be bundled).
 */
export const nodeAppConfig = (entry: string[]) =>
  defineConfig({
    entry,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outDir: 'dist',
    noExternal: [/^@hyperzoo\//],
    external: [/^(?!@hyperzoo\/)[^./]/],
    clean: true,
  });
