import { defineConfig } from 'tsup';

// Bundle the workspace libs (consumed as TS source); keep npm packages external.
export default defineConfig({
  entry: ["src/main.ts", "src/trainer.ts"],
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outDir: 'dist',
  noExternal: [/^@hyperzoo\//],
  clean: true,
});
