// A convolution with bias and relu as one kernel in training too. tfjs fuses them only outside
// gradient mode (fused ops' shouldFuse), so a training step runs Conv2D, Add and Relu forward and
// Step, Multiply and Sum backward for every such layer; here it is FusedConv2D forward and, back,
// one relu-gradient kernel, the bias sum and the two convolution gradients.
import * as tf from '@tensorflow/tfjs';

export const RELU_GRAD = 'HzReluGrad';

export type TConvReluArgs = { strides: [number, number]; pad: 'same' | 'valid'; activation: 'relu' | 'linear' };

/** Whether the active backend has the kernels this needs (wasm with oneDNN). */
export function hasFusedConvRelu(): boolean {
  return tf.getKernel(RELU_GRAD, tf.getBackend()) != null;
}

/** activation(conv2d(x, filter) + bias) for NHWC, dilation 1; the gradient as tfjs' unfused ops compute it. */
export function convBiasActivation(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D | null, args: TConvReluArgs): tf.Tensor4D {
  const attrs = { strides: args.strides, pad: args.pad, dataFormat: 'NHWC', dilations: [1, 1], activation: args.activation };
  const backward = (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
    const [input, kernel, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const dz = args.activation === 'relu' ? (tf.engine().runKernel(RELU_GRAD, { dy, y }) as tf.Tensor4D) : dy;
    const dx = tf.engine().runKernel('Conv2DBackpropInput', { dy: dz, filter: kernel }, { ...attrs, inputShape: input.shape }) as tf.Tensor4D;
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x: input, dy: dz }, { ...attrs, filterShape: kernel.shape }) as tf.Tensor4D;
    return { dx, dw, dz };
  };
  const inputs = bias == null ? [x, filter] : [x, filter, bias];
  const op = tf.customGrad((...operands: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = operands.pop() as tf.GradSaveFunc;
    const [input, kernel, b] = operands as [tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    const y = tf.engine().runKernel('FusedConv2D', b == null ? { x: input, filter: kernel } : { x: input, filter: kernel, bias: b }, attrs) as tf.Tensor4D;
    save([input, kernel, y]);
    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const g = backward(dy as tf.Tensor4D, saved);
      return b == null ? [g.dx, g.dw] : [g.dx, g.dw, tf.sum(g.dz, [0, 1, 2])];
    };
    return { value: y, gradFunc };
  });
  return op(...inputs) as tf.Tensor4D;
}
