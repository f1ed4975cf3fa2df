import { describe, expect, it } from 'vitest';

import { toIssues } from './issues';
import { ARCHITECTURE_OPTIONS, ARCHITECTURES, ZRunConfig } from './run-config';
import { ZOO_CATALOG } from './zoo';

const issuesOf = (input: unknown) => {
  const r = ZRunConfig.safeParse(input);
  return r.success ? [] : toIssues(r.error);
};

describe('ZRunConfig: one schema per architecture', () => {
  it('fills each architecture\'s own defaults (ZOO.md) and nothing else', () => {
    const lenet = ZRunConfig.parse({ architecture: 'lenet5' });
    expect(lenet).toMatchObject({ activation: 'relu', denseActivation: 'sigmoid', dropout: 0, width: 1, epochs: 30, batchSize: 32 });
    expect(lenet).not.toHaveProperty('depth');
    expect(ZRunConfig.parse({ architecture: 'alexnet' })).toMatchObject({ dropout: 0.5, denseActivation: 'relu' });
    expect(ZRunConfig.parse({ architecture: 'googlenet' })).toMatchObject({ dropout: 0.4, stem: 'auto' });
    expect(ZRunConfig.parse({ architecture: 'resnet' })).toMatchObject({ depth: [2, 2, 2, 2], dropout: 0 });
    const transfer = ZRunConfig.parse({ architecture: 'transfer', transfer: { fromRunId: 'r1' } });
    expect(transfer).not.toHaveProperty('activation');
    expect(transfer.data).toMatchObject({ dataset: 'fashion-mnist', validationSize: 5000 });
  });

  it('refuses an option the architecture does not take, at the option\'s own path', () => {
    expect(issuesOf({ architecture: 'lenet5', depth: [2] })).toEqual([{ path: 'depth', message: 'unknown option "depth" here' }]);
    expect(issuesOf({ architecture: 'mlp', denseActivation: 'tanh' }).map((i) => i.path)).toEqual(['denseActivation']);
    expect(issuesOf({ architecture: 'googlenet', depth: [2] }).map((i) => i.path)).toEqual(['depth']);
    expect(issuesOf({ architecture: 'mlp', optimizer: { name: 'adam', beta9: 1 } }).map((i) => i.path)).toEqual(['optimizer.beta9']);
  });

  it('checks ranges and names with their paths', () => {
    expect(issuesOf({ architecture: 'mlp', dropout: 1.5 }).map((i) => i.path)).toEqual(['dropout']);
    expect(issuesOf({ architecture: 'resnet', depth: [] }).map((i) => i.path)).toEqual(['depth']);
    expect(issuesOf({ architecture: 'mlp', earlyStopping: { monitor: 'val_top5' } }).map((i) => i.path)).toEqual(['earlyStopping.monitor']);
    expect(issuesOf({ architecture: 'mlp', data: { folder: '../etc' } }).map((i) => i.path)).toEqual(['data.folder']);
    expect(issuesOf({ architecture: 'vgg' }).map((i) => i.path)).toEqual(['architecture']);
  });

  it('needs exactly one backbone source for transfer', () => {
    expect(issuesOf({ architecture: 'transfer' }).map((i) => i.path)).toEqual(['transfer']);
    expect(issuesOf({ architecture: 'transfer', transfer: {} })).toEqual([{ path: 'transfer', message: 'give exactly one of fromRunId and modelUrl (or backbone)' }]);
    expect(issuesOf({ architecture: 'transfer', transfer: { fromRunId: 'a', backbone: 'mobilenet' } }).map((i) => i.path)).toEqual(['transfer']);
    expect(issuesOf({ architecture: 'transfer', transfer: { backbone: 'vgg16' } }).map((i) => i.path)).toEqual(['transfer.backbone']);
    expect(issuesOf({ architecture: 'transfer', transfer: { backbone: 'mobilenet', modelSha256: 'abc' } }).map((i) => i.path)).toEqual(['transfer.modelSha256']);
    expect(issuesOf({ architecture: 'transfer', transfer: { fromRunId: 'a', modelSha256: 'a'.repeat(64) } })).toEqual([{ path: 'transfer', message: 'modelSha256 goes with modelUrl or backbone' }]);
    expect(issuesOf({ architecture: 'transfer', transfer: { backbone: 'resnet50', modelUrl: 'https://models.example.com/resnet50/model.json' } })).toEqual([]);
    expect(issuesOf({ architecture: 'transfer', transfer: { backbone: 'mobilenet' } })).toEqual([]);
    expect(issuesOf({ architecture: 'transfer', transfer: { fromRunId: 'a', modelUrl: 'b' } }).map((i) => i.path)).toEqual(['transfer']);
    expect(issuesOf({ architecture: 'transfer', transfer: { fromRunId: '../x' } }).map((i) => i.path)).toEqual(['transfer.fromRunId']);
  });

  it('lists each architecture\'s options in the zoo catalogue from the same schemas', () => {
    expect(ZOO_CATALOG.map((e) => e.arch)).toEqual([...ARCHITECTURES]);
    for (const entry of ZOO_CATALOG) {
      for (const option of Object.keys(ARCHITECTURE_OPTIONS[entry.arch])) expect(entry.knobs).toContain(option);
    }
  });
});
