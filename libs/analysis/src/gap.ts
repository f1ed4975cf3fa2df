import { seriesOf, type TCurve } from './curve';
import { finiteOrNull } from './options';

export interface TGap {
  epoch: number;
  /** val_loss - loss: how much worse the model does on unseen data; grows as it overfits. */
  loss: number | null;
  /** accuracy - val_accuracy, the same in accuracy terms. */
  accuracy: number | null;
}

const diff = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || b === null || b === undefined ? null : finiteOrNull(a - b);

/** The generalization gap per epoch; null where a value is missing or not finite. */
export function findGaps(curve: TCurve): TGap[] {
  const loss = seriesOf(curve, 'loss');
  const valLoss = seriesOf(curve, 'val_loss');
  const accuracy = seriesOf(curve, 'accuracy');
  const valAccuracy = seriesOf(curve, 'val_accuracy');
  return curve.epochs.map((epoch, i) => ({ epoch, loss: diff(valLoss[i], loss[i]), accuracy: diff(accuracy[i], valAccuracy[i]) }));
}
