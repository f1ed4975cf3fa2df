import * as tf from '@tensorflow/tfjs';

/** tfjs-core's NamedTensor (not re-exported by the tfjs umbrella). */
type NamedTensor = { name: string; tensor: tf.Tensor };

import type { TOptimizer } from '@hyperzoo/schemas';

/** Keras' default epsilon for every optimizer here (tf.keras.backend.epsilon()). */
const KERAS_EPSILON = 1e-7;

/**
 * A tfjs optimizer with Keras' defaults (betas, rho, epsilon, initial accumulator) and the
 * run's learning rate. SGD with momentum uses tfjs' momentum optimizer, which is Keras'
 * SGD(momentum=m) for a constant learning rate (v = m*v + g; w -= lr*v).
 */
export function createOptimizer(config: TOptimizer, learningRate = config.learningRate): tf.Optimizer {
  switch (config.name) {
    case 'sgd':
      return config.momentum > 0 ? tf.train.momentum(learningRate, config.momentum, false) : tf.train.sgd(learningRate);
    case 'adam':
      return tf.train.adam(learningRate, 0.9, 0.999, KERAS_EPSILON);
    case 'rmsprop':
      return tf.train.rmsprop(learningRate, 0.9, config.momentum, KERAS_EPSILON, false);
    case 'adagrad':
      return tf.train.adagrad(learningRate, 0.1);
    case 'adadelta':
      return tf.train.adadelta(learningRate, 0.95, KERAS_EPSILON);
    case 'adamax':
      return new ResumableAdamax(learningRate, 0.9, 0.999, KERAS_EPSILON);
  }
}

interface AdamaxInternals {
  iteration: tf.Variable;
  accBeta1: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedWeightedInfNorm: { originalName: string; variable: tf.Variable }[];
}

/**
 * tfjs 4.22's Adamax throws from getWeights/setWeights; this subclass implements them over
 * the same fields (pinned version) so adamax runs can checkpoint and resume like the others.
 * Layout: iter, iteration, accBeta1, first moments..., weighted inf norms...
 */
export class ResumableAdamax extends tf.AdamaxOptimizer {
  override async getWeights(): Promise<NamedTensor[]> {
    const self = this as unknown as AdamaxInternals;
    const moments = [...self.accumulatedFirstMoment, ...self.accumulatedWeightedInfNorm];
    return [
      await this.saveIterations(),
      { name: 'iteration', tensor: self.iteration },
      { name: 'accBeta1', tensor: self.accBeta1 },
      ...moments.map((v) => ({ name: v.originalName, tensor: v.variable })),
    ];
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const self = this as unknown as AdamaxInternals;
    const [iteration, accBeta1, ...moments] = await this.extractIterations(weightValues);
    if (!iteration || !accBeta1 || moments.length % 2 !== 0) throw new Error('Adamax state: unexpected layout');
    self.iteration.assign(iteration.tensor);
    self.accBeta1.assign(accBeta1.tensor);
    const half = moments.length / 2;
    const toVariable = (v: NamedTensor) => ({ originalName: v.name, variable: v.tensor.variable(false) });
    tf.dispose([...self.accumulatedFirstMoment.map((v) => v.variable), ...self.accumulatedWeightedInfNorm.map((v) => v.variable)]);
    self.accumulatedFirstMoment = moments.slice(0, half).map(toVariable);
    self.accumulatedWeightedInfNorm = moments.slice(half).map(toVariable);
  }
}
