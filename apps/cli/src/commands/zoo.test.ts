import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { buildModel, saveModelToDir } from '@hyperzoo/models';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { registerZooCommands } from './zoo';
import { runCli } from '../testing';

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hz-cli-zoo-'));
  const lenet = buildModel('lenet5', {});
  await saveModelToDir(lenet, join(dir, 'lenet'));
  lenet.dispose();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => runCli(registerZooCommands, args);

interface TSummaryJson {
  arch: string;
  params: number;
  trainableParams: number;
  layers: { name: string; className: string; outputShape: unknown; params: number }[];
}

describe('hz zoo', () => {
  it('list --json names every architecture and the known backbones', async () => {
    const out = JSON.parse(await run(['zoo', 'list', '--json'])) as { architectures: { arch: string }[]; backbones: { name: string }[] };
    expect(out.architectures.map((a) => a.arch)).toEqual(['mlp', 'lenet5', 'alexnet', 'googlenet', 'resnet', 'transfer']);
    expect(out.backbones.map((b) => b.name)).toEqual(['resnet50', 'xception', 'mobilenet']);
  });

  it('summary lenet5 --json gives arch, params, trainableParams and layers with shapes', async () => {
    const out = JSON.parse(await run(['zoo', 'summary', 'lenet5', '--json'])) as TSummaryJson;
    expect(out).toMatchObject({ arch: 'lenet5', params: 61_706, trainableParams: 61_706 });
    expect(out.layers.find((l) => l.name === 'conv2d_2')).toMatchObject({ outputShape: [null, 10, 10, 16], params: 2416 });
  });

  it('summary takes input size, channels, classes and architecture options', async () => {
    const out = JSON.parse(
      await run(['zoo', 'summary', 'resnet', '--input', '32', '--channels', '3', '--classes', '5', '--width', '0.25', '--depth', '1,1', '--json']),
    ) as TSummaryJson;
    expect(out.layers[0]?.outputShape).toEqual([null, 32, 32, 3]);
    expect(out.layers.at(-1)).toMatchObject({ name: 'predictions', outputShape: [null, 5] });
    const text = await run(['zoo', 'summary', 'mlp']);
    expect(text).toMatch(/^Total params: 266,610$/m);
  });

  it('summary transfer builds on a backbone directory inside the allowed root', async () => {
    const out = JSON.parse(
      await run(['zoo', 'summary', 'transfer', '--backbone', 'lenet', '--allowed-root', dir, '--classes', '3', '--json']),
    ) as TSummaryJson;
    expect(out.params).toBe(61_706 - 850 + 84 * 3 + 3);
    expect(out.trainableParams).toBe(84 * 3 + 3);
    await expect(run(['zoo', 'summary', 'transfer', '--backbone', tmpdir(), '--allowed-root', dir])).rejects.toThrow(/is not a model inside the allowed roots/);
  });

  it('reports bad options with the builder message', async () => {
    await expect(run(['zoo', 'summary', 'alexnet', '--resize', '20'])).rejects.toThrow(
      'alexnet: input 28x28 resized to 20 gives a non-positive size at max_pooling2d_2 (3x3 stride 2 on 1x1)',
    );
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await expect(run(['zoo', 'summary', 'vgg'])).rejects.toThrow(/unknown architecture "vgg"/);
    err.mockRestore();
  });
});
