import * as tf from '@tensorflow/tfjs';

/**
 * How pixel values 0-255 become model inputs:
 * - scale01: x / 255 (the default for models trained here)
 * - none: 0-255 as float
 * - caffe: RGB -> BGR, minus the ImageNet mean per channel, no scaling (Keras ResNet50/VGG preprocess_input)
 * - tf: x / 127.5 - 1, i.e. [-1, 1] (Keras Xception/MobileNet/InceptionV3 preprocess_input)
 * - torch: x / 255, minus ImageNet mean, divided by std (Keras DenseNet preprocess_input)
 */
export type TPreprocess = 'scale01' | 'none' | 'caffe' | 'tf' | 'torch';

const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68];
const TORCH_MEAN = [0.485, 0.456, 0.406];
const TORCH_STD = [0.229, 0.224, 0.225];

/** Applies a preprocessing mode to NHWC float pixels 0-255. Must run inside tf.tidy (allocates intermediates). */
export function applyPreprocess(x: tf.Tensor4D, mode: TPreprocess): tf.Tensor4D {
  const channels = x.shape[3];
  switch (mode) {
    case 'none':
      return x;
    case 'scale01':
      return x.div(255);
    case 'tf':
      return x.div(127.5).sub(1);
    case 'caffe': {
      if (channels !== 3) throw new Error(`preprocess 'caffe' needs 3 channels, got ${channels}`);
      const bgr = x.reverse(3);
      return bgr.sub(tf.tensor1d(CAFFE_MEAN_BGR));
    }
    case 'torch': {
      if (channels !== 3) throw new Error(`preprocess 'torch' needs 3 channels, got ${channels}`);
      return x.div(255).sub(tf.tensor1d(TORCH_MEAN)).div(tf.tensor1d(TORCH_STD));
    }
  }
}
