import * as tf from '@tensorflow/tfjs';

import { convBiasActivation, hasFusedConvRelu } from '../backend/native/conv-relu';
import { stockLayerClass } from './stock-layer';

type TConv2DArgs = Parameters<typeof tf.layers.conv2d>[0];

/** The fields of tfjs-layers' Conv2D that the fused call reads (its class is not exported). */
interface TConv2D extends tf.layers.Layer {
  rank: number;
  strides: [number, number];
  padding: 'same' | 'valid' | 'causal';
  dataFormat: 'channelsLast' | 'channelsFirst';
  dilationRate: number[];
  activation: { getClassName(): string };
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
}

const Conv2D = stockLayerClass<TConv2D, TConv2DArgs>('Conv2D');

/**
 * tfjs-layers' Conv2D whose bias and relu stay fused into the convolution in training too, where
 * the backend has the kernels (wasm with oneDNN; ../backend/native/conv-relu.ts); elsewhere the
 * stock layer. Same class name and config, so saved models load in stock tfjs and into this class.
 */
export class FusedConv2DLayer extends Conv2D {
  static readonly className = 'Conv2D';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const activation = this.activation.getClassName();
    if (x == null || (activation !== 'relu' && activation !== 'linear') || !this.fusable(x)) return super.call(inputs, kwargs);
    const pad = this.padding as 'same' | 'valid';
    return tf.tidy(() => convBiasActivation(x as tf.Tensor4D, this.kernel.read() as tf.Tensor4D, (this.bias?.read() ?? null) as tf.Tensor1D | null, { strides: this.strides, pad, activation }));
  }

  private fusable(x: tf.Tensor): boolean {
    return this.rank === 2 && x.rank === 4 && x.dtype === 'float32' && this.dataFormat === 'channelsLast' && this.padding !== 'causal' &&
      this.dilationRate.every((d) => d === 1) && hasFusedConvRelu();
  }
}
tf.serialization.registerClass(FusedConv2DLayer);
