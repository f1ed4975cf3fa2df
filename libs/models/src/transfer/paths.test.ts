import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { UnsafePathError, resolveInsideRoots, resolveWeightsPath } from './paths';

let base: string;
let root: string;
beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'hz-paths-'));
  root = path.join(base, 'root');
  await mkdir(path.join(root, 'models', 'a'), { recursive: true });
  await mkdir(path.join(base, 'outside'), { recursive: true });
  await writeFile(path.join(base, 'outside', 'model.json'), '{}');
  await symlink(path.join(base, 'outside'), path.join(root, 'escape'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('resolveInsideRoots', () => {
  it('accepts relative paths, absolute paths and file:// URLs inside a root', async () => {
    const want = path.join(root, 'models', 'a');
    expect(await resolveInsideRoots('models/a', [root])).toBe(want);
    expect(await resolveInsideRoots(want, [root])).toBe(want);
    expect(await resolveInsideRoots(pathToFileURL(want).href, [root])).toBe(want);
    expect(await resolveInsideRoots(want, [path.join(base, 'outside'), root])).toBe(want);
  });

  it('refuses .. segments even when they would land inside', async () => {
    await expect(resolveInsideRoots('models/../models/a', [root])).rejects.toThrow(/contains a '\.\.' segment/);
    await expect(resolveInsideRoots('file://' + root + '/models/../../outside', [root])).rejects.toThrow(UnsafePathError);
    await expect(resolveInsideRoots('models/%2e%2e/a', [root])).rejects.toThrow(/'\.\.'/);
  });

  it('refuses paths outside every root, symlink escapes and missing paths', async () => {
    await expect(resolveInsideRoots(path.join(base, 'outside'), [root])).rejects.toThrow(/is not a model inside the allowed roots/);
    await expect(resolveInsideRoots('escape', [root])).rejects.toThrow(/is not a model inside the allowed roots/);
    await expect(resolveInsideRoots('models/none', [root])).rejects.toThrow(/is not a model inside the allowed roots/);
    await expect(resolveInsideRoots('models/a', [])).rejects.toThrow(/no allowed roots/);
  });
});

describe('resolveWeightsPath', () => {
  it('keeps shard names inside the model directory', () => {
    expect(resolveWeightsPath('/m', 'group1-shard1of2.bin')).toBe('/m/group1-shard1of2.bin');
    expect(() => resolveWeightsPath('/m', '../secret.bin')).toThrow(/relative path inside the model directory/);
    expect(() => resolveWeightsPath('/m', '/etc/passwd')).toThrow(UnsafePathError);
    expect(() => resolveWeightsPath('/m', 'http://x/y.bin')).toThrow(UnsafePathError);
  });
});
