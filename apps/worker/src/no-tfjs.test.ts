// tfjs lives in the trainer child only: the worker process itself keeps its memory and event
// loop for BullMQ and never loads it.
import { spawnSync } from 'node:child_process';

import { describe, expect, it } from 'vitest';

/** Imports a module in a fresh Node process whose resolver refuses any @tensorflow/* import. */
function importWithoutTfjs(file: string): { status: number | null; output: string } {
  const hook = `export async function resolve(specifier, context, next) {
    if (specifier.startsWith('@tensorflow/')) throw new Error('tfjs imported: ' + specifier + ' from ' + context.parentURL);
    return next(specifier, context);
  }`;
  const script = `import { register } from 'node:module';
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
    await import(${JSON.stringify(new URL(file, import.meta.url).href)});`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: r.stdout + r.stderr };
}

describe('the worker process', () => {
  it('loads its runtime, registry and processors without tfjs', () => {
    const r = importWithoutTfjs('./runtime.ts');
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  it('the trainer child does load it (the check can fail)', () => {
    const r = importWithoutTfjs('./trainer.ts');
    expect(r.output).toMatch(/tfjs imported: @tensorflow\//);
  });
});
