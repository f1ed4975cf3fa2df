// The client runs in users' scripts and next to the web: it must not pull in tfjs, not even
// through another workspace package. `npm ls` walks the installed dependency tree.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function npmLs(pkg: string, workspace: string): { status: number | null; tree: { name?: string; dependencies?: Record<string, unknown> } } {
  const r = spawnSync('npm', ['ls', pkg, `--workspace=${workspace}`, '--json'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, tree: JSON.parse(r.stdout) as { name?: string; dependencies?: Record<string, unknown> } };
}

describe('@hyperzoo/client dependencies', () => {
  it('npm ls @tensorflow/tfjs-core --workspace=@hyperzoo/client finds nothing', () => {
    const { status, tree } = npmLs('@tensorflow/tfjs-core', '@hyperzoo/client');
    expect(tree.name).toBe('hyperzoo');
    expect(tree.dependencies, JSON.stringify(tree, null, 1)).toBeUndefined();
    expect(status).toBe(1);
  });

  it('the same command finds tfjs-core under the CLI, which does train (the check can fail)', () => {
    const { status, tree } = npmLs('@tensorflow/tfjs-core', '@hyperzoo/cli');
    expect(JSON.stringify(tree)).toContain('"@tensorflow/tfjs-core"');
    expect(status).toBe(0);
  });
});
