import { spawnSync } from 'node:child_process';

/**
 * Imports a module in a fresh Node process whose resolver refuses any @tensorflow/* import:
 * the proof that a process (the worker, a tfjs-free subpath) keeps tfjs out of its memory.
 */
export function importWithoutTfjs(module: URL): { status: number | null; output: string } {
  const hook = `export async function resolve(specifier, context, next) {
    if (specifier.startsWith('@tensorflow/')) throw new Error('tfjs imported: ' + specifier + ' from ' + context.parentURL);
    return next(specifier, context);
  }`;
  const script = `import { register } from 'node:module';
    register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
    await import(${JSON.stringify(module.href)});`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, output: r.stdout + r.stderr };
}
