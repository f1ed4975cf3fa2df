import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { ZDataConfig } from '@hyperzoo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { describeDataset } from './summary';
import { makeTempDir, writeIdxSet } from './test-utils/fixtures';

let tmp: ReturnType<typeof makeTempDir>;
let idxDir: string;

beforeAll(() => {
  tmp = makeTempDir();
  idxDir = join(tmp.dir, 'idx');
  mkdirSync(idxDir);
  writeIdxSet(idxDir, { train: 600, test: 200, size: 6 });
});
afterAll(() => tmp.cleanup());

const describeSmall = (data: Partial<ReturnType<typeof ZDataConfig.parse>>, fitValidation: boolean) =>
  describeDataset(ZDataConfig.parse({ dataset: 'fashion-mnist', ...data }), { seed: 42, idxDir, fitValidation });

describe('describeDataset on a small IDX set', () => {
  it('describes no hold-out, with a warning, when the default 5,000 does not fit 600 training images', async () => {
    const s = await describeSmall({}, true);
    expect(s.splits).toEqual({ train: 600, test: 200 });
    expect(s.classes[3]).toEqual({ id: 3, name: 'Dress', train: 60, test: 20 });
    expect(s.warnings).toEqual(['a validation hold-out of 5000 does not fit the 600 training images; none shown (a run needs a smaller validationSize)']);
  });

  it('holds out what fits, counts and fractions alike, without a warning', async () => {
    expect((await describeSmall({ validationSize: 100 }, true)).splits).toEqual({ train: 500, validation: 100, test: 200 });
    const quarter = await describeSmall({ validationSize: 0.25 }, true);
    expect(quarter.splits).toEqual({ train: 450, validation: 150, test: 200 });
    expect(quarter.warnings).toEqual([]);
  });

  it('fails as a run would when the hold-out is not to be fitted', async () => {
    await expect(describeSmall({}, false)).rejects.toThrow('validationSize 5000 asks for 5000 of 600 training images of fashion-mnist');
    await expect(describeSmall({ validationSize: 600 }, true)).resolves.toMatchObject({ splits: { train: 600, test: 200 } });
  });
});
