import type * as tf from '@tensorflow/tfjs';

import type { TArchitecture } from '@hyperzoo/schemas';

import { buildAlexnet } from '../alexnet';
import { buildGooglenet } from '../googlenet';
import { buildLenet5 } from '../lenet5';
import { buildMlp } from '../mlp';
import { buildResnet } from '../resnet';
import { buildTransfer } from '../transfer';

/**
 * The smallest sensible build of each zoo model, for one-step training tests on slow backends.
 * transfer builds on a tiny lenet5 backbone (its dense head cut off, convs frozen).
 */
export const TINY_ZOO: Record<TArchitecture, () => tf.LayersModel> = {
  mlp: () => buildMlp({ width: 0.1 }),
  lenet5: () => buildLenet5(),
  // 67 is the smallest S that survives the three 3x3/2 max-pools.
  alexnet: () => buildAlexnet({ resize: 67, width: 0.03 }),
  googlenet: () => buildGooglenet({ inputShape: [16, 16, 1], width: 0.06 }),
  resnet: () => buildResnet({ inputShape: [16, 16, 1], width: 0.125, depth: [1, 1] }),
  transfer: () =>
    buildTransfer({ backbone: buildLenet5({ inputShape: [16, 16, 1], width: 0.5 }), featureLayer: 'average_pooling2d_2', classes: 3, dropout: 0.2 }),
};
