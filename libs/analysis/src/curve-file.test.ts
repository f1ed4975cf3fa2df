import { describe, expect, it } from 'vitest';

import { analyzeCurveText, formatCurveReport, parseCurveFlags, parseCurveText } from './curve-file';

describe('parseCurveFlags', () => {
  it('defaults to val_loss, auto mode, no early stopping', () => {
    expect(parseCurveFlags({})).toEqual({
      monitor: 'val_loss',
      mode: 'auto',
      patience: null,
      minDelta: 0,
      baseline: null,
      startFromEpoch: 0,
      restoreBestWeights: false,
    });
  });
  it.each([
    [{ monitor: 'val_auc' }, 'unknown monitor "val_auc" (one of val_loss, val_accuracy, loss, accuracy)'],
    [{ mode: 'up' }, /^invalid --mode: /],
    [{ patience: '-1' }, /^invalid --patience: Too small/],
    [{ patience: 'abc' }, /^invalid --patience: /],
    [{ minDelta: '' }, /^invalid --min-delta: /],
    [{ startFromEpoch: '1.5' }, /^invalid --start-from-epoch: /],
  ])('rejects %o naming the flag', (flags, message) => {
    expect(() => parseCurveFlags(flags)).toThrow(message);
  });
});

describe('parseCurveText', () => {
  it('reads a list of values of the monitor, with NaN and Infinity as Python writes them', () => {
    const curve = parseCurveText('[1, 0.5, NaN, Infinity, 0.7]', 'c.json', 'val_loss');
    expect(curve.epochs).toEqual([1, 2, 3, 4, 5]);
    expect(curve.metrics.val_loss).toEqual([1, 0.5, Number.NaN, Infinity, 0.7]);
  });
  it('reads per-epoch objects with Keras names (unknown keys ignored) and Keras History.history', () => {
    const rows = parseCurveText('[{"epoch": 3, "loss": 1, "val_loss": 2, "learning_rate": 0.1}, {"epoch": 4, "loss": 0.5, "val_loss": null}]', 'c', 'val_loss');
    expect(rows).toEqual({ epochs: [3, 4], metrics: { loss: [1, 0.5], val_loss: [2, Number.NaN] } });
    const history = parseCurveText('{"loss": [1, 0.5], "val_accuracy": [0.5, 0.6]}', 'c', 'val_accuracy');
    expect(history).toEqual({ epochs: [1, 2], metrics: { loss: [1, 0.5], val_accuracy: [0.5, 0.6] } });
  });
  it.each([
    ['[1, 2', /^c\.json is not valid JSON: invalid end of input at 1:6$/],
    ['', /^c\.json is not valid JSON/],
    ['[]', 'c.json has no epochs (an empty array)'],
    ['{"loss": []}', 'c.json has no epochs (an empty array)'],
    ['"hello"', /^c\.json must be a JSON array of val_loss values.*got string$/],
    ['[1, "a"]', /got an array with other elements$/],
    ['[{"loss": 1}, {"loss": 0.5}]', 'c.json has no val_loss values (it has loss); pick one with --monitor'],
    ['[{"epoch": 2, "val_loss": 1}, {"epoch": 2, "val_loss": 0.5}]', 'c.json[1].epoch: epochs must increase (2 after 2)'],
    ['{"loss": [1, 2], "val_loss": [1]}', 'c.json: the metric lists have different lengths (2, 1)'],
  ])('rejects %j with a clear message', (text, message) => {
    expect(() => parseCurveText(text, 'c.json', 'val_loss')).toThrow(message);
  });
});

describe('analyzeCurveText', () => {
  it('gives epochsRun and the 1-based best epoch under the flags, and the table', () => {
    const r = analyzeCurveText('[1.0, 0.8, 0.9, 0.85, 0.7]', 'c', { patience: '2' });
    expect(r).toMatchObject({ epochsRun: 4, stoppedEpoch: 4, bestEpoch: 2, epochsRecorded: 5, onsetEpoch: null });
    expect(r.counterfactual.map((c) => c.stoppedEpoch)).toEqual([3, 3, 4, null]);
    const text = formatCurveReport(r);
    expect(text).toMatch(/^val_loss \(min\), 5 epochs recorded; patience 2: stops after epoch 4$/m);
    expect(text).toMatch(/^>= 3 +never +5 +0\.7000 +0\.7000 +0 +0\.0$/m);
  });
});
