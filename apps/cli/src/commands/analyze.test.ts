import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ZRunAnalysis } from '@hyperzoo/analysis';

// The real `hz` binary on files written here: `hz analyze --curve` is a contract scripts rely on.
const bin = fileURLToPath(new URL('../../bin/hz.js', import.meta.url));
const hz = (...args: string[]) => spawnSync(process.execPath, [bin, 'analyze', ...args], { encoding: 'utf8', timeout: 120_000 });

let dir: string;
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hz-cli-analyze-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hz analyze --curve (process)', () => {
  it('--json on a list of values: epochsRun, the 1-based best epoch, the onset and the counterfactual table', () => {
    const r = hz('--curve', file('values.json', '[1.0, 0.8, 0.9, 0.85, 0.7]'), '--patience', '2', '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ epochsRun: 4, bestEpoch: 2, stoppedEpoch: 4, onsetEpoch: null, epochsRecorded: 5 });
    expect(out.counterfactual.map((c: { stoppedEpoch: number | null }) => c.stoppedEpoch)).toEqual([3, 3, 4, null]);
    expect(ZRunAnalysis.parse(out)).toBeTruthy();
  });

  it('per-epoch objects with every Keras option, and the human table without --json', () => {
    const epochs = [
      { loss: 1.0, val_loss: 1.0, accuracy: 0.5, val_accuracy: 0.5, duration_ms: 1000 },
      { loss: 0.8, val_loss: 0.7, accuracy: 0.6, val_accuracy: 0.55, duration_ms: 1000 },
      { loss: 0.6, val_loss: 0.5, accuracy: 0.7, val_accuracy: 0.65, duration_ms: 1000 },
      { loss: 0.5, val_loss: 0.55, accuracy: 0.75, val_accuracy: 0.66, duration_ms: 1000 },
      { loss: 0.4, val_loss: 0.6, accuracy: 0.8, val_accuracy: 0.64, duration_ms: 2000 },
      { loss: 0.3, val_loss: 0.8, accuracy: 0.9, val_accuracy: 0.6, duration_ms: 4000 },
    ];
    const path = file('epochs.json', JSON.stringify(epochs));
    const args = ['--curve', path, '--monitor', 'val_accuracy', '--mode', 'max', '--patience', '0', '--min-delta', '0.02', '--baseline', '0.6', '--start-from-epoch', '1', '--restore-best-weights'];
    const r = hz(...args, '--json');
    expect(r.status).toBe(0);
    // Epoch 1 is warm-up; 0.55 is the first best (wait 1: baseline 0.6 not beaten), 0.65 beats both (wait 0), 0.66 is within min_delta: stop at 4.
    expect(JSON.parse(r.stdout)).toMatchObject({ epochsRun: 4, stoppedEpoch: 4, bestEpoch: 3, bestValue: 0.65, onsetEpoch: 3, keep99: { patience: 0, epochsSaved: 2, secondsSaved: 6 } });
    const text = hz(...args);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^val_accuracy \(max\), 6 epochs recorded; patience 0: stops after epoch 4$/m);
    expect(text.stdout).toMatch(/^patience +stops after +best +kept +kept \(restore best\) +epochs saved +seconds saved$/m);
  });

  it.each([
    ['a missing file', () => ['--curve', join(dir, 'missing.json')], /^hz analyze: cannot read .*missing\.json: no such file$/],
    ['malformed JSON', () => ['--curve', file('bad.json', '[1, 2')], /^hz analyze: .*bad\.json is not valid JSON: invalid end of input at 1:6$/],
    ['an empty array', () => ['--curve', file('empty.json', '[]')], /^hz analyze: .*empty\.json has no epochs \(an empty array\)$/],
    ['an unknown monitor', () => ['--curve', file('ok.json', '[1]'), '--monitor', 'val_auc'], /^hz analyze: unknown monitor "val_auc" \(one of val_loss, val_accuracy, loss, accuracy\)$/],
    ['a monitor the file lacks', () => ['--curve', file('loss.json', '[{"loss": 1}]')], /^hz analyze: .*loss\.json has no val_loss values \(it has loss\); pick one with --monitor$/],
    ['a bad number', () => ['--curve', file('ok2.json', '[1]'), '--patience', 'soon'], /^hz analyze: invalid --patience: /],
  ])('%s: a clear message on stderr, nothing on stdout, exit code 2', (_, args, message) => {
    const r = hz(...args(), '--json');
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toMatch(message);
    expect(r.status).toBe(2);
  });
});
