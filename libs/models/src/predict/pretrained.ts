import * as tf from '@tensorflow/tfjs';

import { decodeImageBytes } from '@hyperzoo/data';
import type { TKnownBackboneName } from '@hyperzoo/schemas';

import { loadKnownBackbone, type TLoadBackboneOptions } from '../transfer/backbone';
import { BackbonePreprocessLayer } from '../transfer/preprocess-layer';
import { getImagenetClassNames } from './imagenet-classes';
import { predictTopK, type TPrediction } from './predict-top-k';

export interface TPretrainedPrediction {
  backbone: TKnownBackboneName;
  /** Where the model came from and the digest of its model.json, to pin it next time. */
  location: string;
  modelJsonSha256: string;
  predictions: TPrediction[];
}

/**
 * The course's `decode_predictions(model.predict(preprocess_input(x)), top=k)` with a known
 * ImageNet backbone: the image (PNG or JPEG) resized to the backbone's input, its own
 * preprocess_input on 0-255 pixels, top-k of the 1000 ImageNet classes with their names.
 */
export async function predictWithKnownBackbone(
  name: TKnownBackboneName,
  image: Uint8Array,
  opts: TLoadBackboneOptions & { location?: string; topK: number },
): Promise<TPretrainedPrediction> {
  const { model, modelJsonSha256, info } = await loadKnownBackbone(name, opts.location, opts);
  try {
    const [h, w, c] = info.inputShape;
    const pixels = await decodeImageBytes(image, h, 3);
    const preprocess = new BackbonePreprocessLayer({ height: h, width: w, channels: c, mode: info.preprocessing });
    const x = tf.tidy(() => preprocess.apply(tf.tensor4d(pixels, [1, h, w, 3], 'float32')) as tf.Tensor4D);
    try {
      const [top] = await predictTopK(model, x, opts.topK, getImagenetClassNames());
      return { backbone: name, location: opts.location ?? info.url ?? '', modelJsonSha256, predictions: top ?? [] };
    } finally {
      x.dispose();
    }
  } finally {
    model.dispose();
  }
}
