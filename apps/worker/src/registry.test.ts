import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';

import { JOB_NAMES, ZTrainJob } from '@hyperzoo/queue';

import { findProcessor, parseJobData, PROCESSORS } from './registry';

describe('processor registry', () => {
  it('has a processor for every declared job name, and none for an undeclared one', () => {
    for (const name of Object.values(JOB_NAMES)) expect(findProcessor(name)?.name, name).toBe(name);
    expect(PROCESSORS.map((p) => p.name).sort()).toEqual(Object.values(JOB_NAMES).sort());
    expect(findProcessor('training.nope')).toBeUndefined();
  });

  it('parses job.data with the processor schema, defaults applied', () => {
    const train = findProcessor(JOB_NAMES.train);
    if (!train) throw new Error('no train processor');
    const data = parseJobData(train, {
      id: 'j1',
      data: { runId: '00000000-0000-4000-8000-000000000001', teamId: '00000000-0000-4000-8000-000000000002', config: { architecture: 'mlp', epochs: 2 } },
    });
    expect(ZTrainJob.parse(data).config).toMatchObject({ architecture: 'mlp', epochs: 2, batchSize: 32 });
  });

  it('refuses bad data as unrecoverable, naming each zod path', () => {
    const train = findProcessor(JOB_NAMES.train);
    if (!train) throw new Error('no train processor');
    const bad = { id: 'j2', data: { runId: 'nope', teamId: '00000000-0000-4000-8000-000000000002', config: { architecture: 'mlp', epochs: -3 } } };
    expect(() => parseJobData(train, bad)).toThrow(UnrecoverableError);
    expect(() => parseJobData(train, bad)).toThrow(/^job j2 has invalid data \(runId: .*; config\.epochs: .*\)$/);
  });
});
