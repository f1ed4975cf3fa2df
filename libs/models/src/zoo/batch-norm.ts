import * as tf from '@tensorflow/tfjs';

import { fusedBatchNormTraining, hasFusedBatchNormTraining } from '../backend/native/batch-norm';
import { stockLayerClass } from './stock-layer';

type TBatchNormArgs = Parameters<typeof tf.layers.batchNormalization>[0];

/** The fields of tfjs-layers' BatchNormalization that training reads (its class is not exported). */
interface TBatchNormalization extends tf.layers.Layer {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: tf.LayerVariable;
  beta: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

const BatchNormalization = stockLayerClass<TBatchNormalization, TBatchNormArgs>('BatchNormalization');

/**
 * tfjs-layers' BatchNormalization, whose training step runs as one kernel forward and one backward
 * where the backend has them (wasm with oneDNN); elsewhere, and in inference, the stock layer.
 * Same class name and config, so saved models load in stock tfjs, and ours load into this class.
 */
export class FusedBatchNormalization extends BatchNormalization {
  static readonly className = 'BatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    if (kwargs['training'] !== true || x == null || !this.fusable(x)) return super.call(inputs, kwargs);
    return tf.tidy(() => {
      const [y, mean, variance] = fusedBatchNormTraining(x, this.gamma.read(), this.beta.read(), this.epsilon);
      // The moving averages exactly as the stock layer updates them.
      for (const [variable, value] of [[this.movingMean, mean], [this.movingVariance, variance]] as const) {
        tf.tidy(() => {
          const current = variable.read();
          variable.write(tf.sub(current, tf.mul(tf.sub(current, value), 1 - this.momentum)));
        });
      }
      return y;
    });
  }

  private fusable(x: tf.Tensor): boolean {
    const lastAxis = this.axis === -1 || this.axis === x.rank - 1;
    return lastAxis && x.rank >= 2 && x.dtype === 'float32' && this.center && this.scale && hasFusedBatchNormTraining();
  }
}
tf.serialization.registerClass(FusedBatchNormalization);
