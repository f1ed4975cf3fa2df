// tfjs lives in the trainer child only: the worker process itself keeps its memory and event
// loop for BullMQ and never loads it.
import { describe, expect, it } from 'vitest';

import { importWithoutTfjs } from '@hyperzoo/models/testing/import-without-tfjs';

describe('the worker process', () => {
  it('loads its runtime, registry and processors without tfjs', () => {
    const r = importWithoutTfjs(new URL('./runtime.ts', import.meta.url));
    expect(r.output).toBe('');
    expect(r.status).toBe(0);
  });

  it('the trainer child does load it (the check can fail)', () => {
    const r = importWithoutTfjs(new URL('./trainer.ts', import.meta.url));
    expect(r.output).toMatch(/tfjs imported: @tensorflow\//);
  });
});
