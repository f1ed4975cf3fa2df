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
 * Remaining differences from Keras: adam, rmsprop and adagrad add epsilon at a slightly
 * different place (inside/outside the square root, before/after bias correction); with
 * epsilon 1e-7 this only matters for near-zero second moments.
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
      return new KerasAdadelta(learningRate, 0.95, KERAS_EPSILON);
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
class ResumableAdamax extends tf.AdamaxOptimizer {
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

interface AdadeltaInternals {
  accumulatedGrads: { originalName: string; variable: tf.Variable }[];
  accumulatedUpdates: { originalName: string; variable: tf.Variable }[];
}

/**
 * Adadelta as Keras/TF compute it (ResourceApplyAdadelta): the update divides by the
 * accumulator that already includes this step's gradient. tfjs 4.22 divides by the previous
 * one, which from zero state keeps both accumulators equal, so its "adadelta" is exactly SGD
 * with the learning rate. Same state fields, so getWeights/setWeights are inherited.
 */
class KerasAdadelta extends tf.AdadeltaOptimizer {
  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const self = this as unknown as AdadeltaInternals;
    const names = Array.isArray(variableGradients) ? variableGradients.map((v) => v.name) : Object.keys(variableGradients);
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name];
      if (!value) throw new Error(`adadelta: no variable named ${name}`);
      self.accumulatedGrads[i] ??= { originalName: `${name}/accum_grad`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      self.accumulatedUpdates[i] ??= { originalName: `${name}/accum_var`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      const gradient = Array.isArray(variableGradients) ? variableGradients[i]?.tensor : variableGradients[name];
      if (!gradient) return;
      const accGrad = self.accumulatedGrads[i].variable;
      const accUpdate = self.accumulatedUpdates[i].variable;
      tf.tidy(() => {
        const newAccGrad = accGrad.mul(this.rho).add(gradient.square().mul(1 - this.rho));
        const update = accUpdate.add(this.epsilon).sqrt().div(newAccGrad.add(this.epsilon).sqrt()).mul(gradient);
        accGrad.assign(newAccGrad);
        accUpdate.assign(accUpdate.mul(this.rho).add(update.square().mul(1 - this.rho)));
        value.assign(value.sub(update.mul(this.learningRate)));
      });
    });
    this.incrementIterations();
  }
}
