import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { encodeIdx } from '@hyperzoo/data';
import { makeTempDir, writeIdxSet } from '@hyperzoo/data/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { registerDataCommands } from './data';
import { runCli } from '../testing';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hz-cli-data-'));
  for (const [prefix, count] of [['train', 200], ['t10k', 50]] as const) {
    const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
    writeFileSync(join(dir, `${prefix}-images-idx3-ubyte.gz`), gzipSync(encodeIdx([count, 28, 28], new Uint8Array(count * 784).fill(7))));
    writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte.gz`), gzipSync(encodeIdx([count], labels)));
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => runCli(registerDataCommands, args);

describe('hz data info', () => {
  it('--json prints one object with the source, split counts and per-class counts', async () => {
    const out = JSON.parse(await run(['data', 'info', 'fashion-mnist', '--idx-dir', dir, '--validation-size', '20', '--json'])) as {
      source: string;
      splits: Record<string, number>;
      classes: Array<{ name: string; train: number; validation: number; test: number }>;
    };
    expect(out.source).toBe('idx');
    expect(out.splits).toEqual({ train: 180, validation: 20, test: 50 });
    expect(out.classes).toHaveLength(10);
    expect(out.classes[0]).toEqual({ id: 0, name: 'T-shirt/top', train: 18, validation: 2, test: 5 });
  });

  it('prints a table without --json, and no validation with --validation-size 0', async () => {
    const out = await run(['data', 'info', 'fashion-mnist', '--idx-dir', dir, '--validation-size', '0']);
    expect(out).toMatch(/^source +idx \(unpublished IDX files in /m);
    expect(out).toMatch(/^splits +train 200, test 50$/m);
    expect(out).toMatch(/^ +9 +Ankle boot +20 +5$/m);
  });

  it('describes a small set without --validation-size: the default hold-out does not fit, so none, with a warning', async () => {
    const out = JSON.parse(await run(['data', 'info', 'fashion-mnist', '--idx-dir', dir, '--json'])) as { splits: Record<string, number>; warnings: string[] };
    expect(out.splits).toEqual({ train: 200, test: 50 });
    expect(out.warnings).toEqual(['a validation hold-out of 5000 does not fit the 200 training images; none shown (a run needs a smaller validationSize)']);
    const text = await run(['data', 'info', 'fashion-mnist', '--idx-dir', dir]);
    expect(text).toMatch(/^splits +train 200, test 50$/m);
    expect(text).toMatch(/^warning: a validation hold-out of 5000 does not fit the 200 training images/m);
  });

  it('holds out the default 5,000 where it fits', async () => {
    const big = makeTempDir('hz-cli-data-big-');
    try {
      writeIdxSet(big.dir, { train: 5010, test: 10 });
      const out = JSON.parse(await run(['data', 'info', 'fashion-mnist', '--idx-dir', big.dir, '--json'])) as { splits: Record<string, number>; warnings: string[] };
      expect(out.splits).toEqual({ train: 10, validation: 5000, test: 10 });
      expect(out.warnings).toEqual([]);
    } finally {
      big.cleanup();
    }
  });

  it('fails on a --validation-size that does not fit, as a run with it would', async () => {
    await expect(run(['data', 'info', 'fashion-mnist', '--idx-dir', dir, '--validation-size', '500'])).rejects.toThrow(
      'validationSize 500 asks for 500 of 200 training images of fashion-mnist',
    );
  });

  it('rejects an unknown data set', async () => {
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await expect(run(['data', 'info', 'cifar'])).rejects.toThrow(/unknown data set "cifar"/);
    err.mockRestore();
  });
});
