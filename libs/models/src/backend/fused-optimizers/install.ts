import * as tf from '@tensorflow/tfjs';

import { FUSED_UPDATE_KERNEL, registerFusedUpdateKernels, slotInputName, type TFusedUpdateAttrs } from './fused-update-kernel';
import type { TUpdateRule } from './update-rules';

type TSlot = { originalName: string; variable: tf.Variable };
type TGradients = tf.NamedTensorMap | Array<{ name: string; tensor: tf.Tensor }>;
// The optimizers' fields are not in tfjs' typings; these are the ones tfjs 4.22 reads in applyGradients.
type TState = Record<string, unknown> & { incrementIterations(): void };

type TRuleSpec = {
  rule: TUpdateRule;
  /** Slot lists on the optimizer, in tfjs' creation order: field, name suffix, initial value. */
  slots: (o: TState) => Array<{ field: string; suffix: string; init: (v: tf.Variable) => tf.Tensor }>;
  /** Scalar state read from tensors (inputs of the kernel) and plain numbers (attributes). */
  scalarTensors: (o: TState) => Record<string, tf.Tensor>;
  scalars: (o: TState) => Record<string, number>;
  /** Scalar state updated once per step after the variables, as tfjs does. */
  afterStep?: (o: TState) => void;
};

const num = (o: TState, field: string): number => o[field] as number;
const tensor = (o: TState, field: string): tf.Tensor => o[field] as tf.Tensor;
const variable = (o: TState, field: string): tf.Variable => o[field] as tf.Variable;
const zeros = (v: tf.Variable): tf.Tensor => tf.zerosLike(v);

const SPECS: Array<[{ prototype: object }, TRuleSpec]> = [
  [tf.AdamOptimizer, {
    rule: 'adam',
    slots: () => [{ field: 'accumulatedFirstMoment', suffix: 'm', init: zeros }, { field: 'accumulatedSecondMoment', suffix: 'v', init: zeros }],
    scalarTensors: (o) => ({ accBeta1: tensor(o, 'accBeta1'), accBeta2: tensor(o, 'accBeta2') }),
    scalars: (o) => ({ beta1: num(o, 'beta1'), beta2: num(o, 'beta2'), epsilon: num(o, 'epsilon'), learningRate: num(o, 'learningRate') }),
    afterStep: (o) => {
      variable(o, 'accBeta1').assign(tf.mul(variable(o, 'accBeta1'), num(o, 'beta1')));
      variable(o, 'accBeta2').assign(tf.mul(variable(o, 'accBeta2'), num(o, 'beta2')));
    },
  }],
  [tf.AdamaxOptimizer, {
    rule: 'adamax',
    slots: () => [{ field: 'accumulatedFirstMoment', suffix: 'm', init: zeros }, { field: 'accumulatedWeightedInfNorm', suffix: 'v', init: zeros }],
    scalarTensors: (o) => ({ accBeta1: tensor(o, 'accBeta1'), iteration: tensor(o, 'iteration') }),
    scalars: (o) => ({ beta1: num(o, 'beta1'), beta2: num(o, 'beta2'), epsilon: num(o, 'epsilon'), decay: num(o, 'decay'), learningRate: num(o, 'learningRate') }),
    afterStep: (o) => {
      variable(o, 'iteration').assign(tf.add(variable(o, 'iteration'), 1));
      variable(o, 'accBeta1').assign(tf.mul(variable(o, 'accBeta1'), num(o, 'beta1')));
    },
  }],
  [tf.RMSPropOptimizer, {
    rule: 'rmsprop',
    slots: (o) => [
      { field: 'accumulatedMeanSquares', suffix: 'rms', init: zeros },
      { field: 'accumulatedMoments', suffix: 'momentum', init: zeros },
      ...(o.centered === true ? [{ field: 'accumulatedMeanGrads', suffix: 'mg', init: zeros }] : []),
    ],
    scalarTensors: () => ({}),
    scalars: (o) => ({ decay: num(o, 'decay'), momentum: num(o, 'momentum'), epsilon: num(o, 'epsilon'), learningRate: num(o, 'learningRate'), centered: o.centered === true ? 1 : 0 }),
  }],
  [tf.AdagradOptimizer, {
    rule: 'adagrad',
    slots: (o) => [{ field: 'accumulatedGrads', suffix: 'accumulator', init: (v) => tf.fill(v.shape, num(o, 'initialAccumulatorValue')) }],
    scalarTensors: () => ({}),
    scalars: (o) => ({ epsilon: tf.backend().epsilon(), learningRate: num(o, 'learningRate') }),
  }],
  [tf.AdadeltaOptimizer, {
    rule: 'adadelta',
    slots: () => [{ field: 'accumulatedGrads', suffix: 'accum_grad', init: zeros }, { field: 'accumulatedUpdates', suffix: 'accum_var', init: zeros }],
    scalarTensors: () => ({}),
    scalars: (o) => ({ rho: num(o, 'rho'), epsilon: num(o, 'epsilon'), learningRate: num(o, 'learningRate') }),
  }],
  [tf.MomentumOptimizer, {
    rule: 'momentum',
    slots: () => [{ field: 'accumulations', suffix: 'momentum', init: zeros }],
    scalarTensors: (o) => ({ momentum: tensor(o, 'm'), c: tensor(o, 'c') }),
    scalars: (o) => ({ nesterov: o.useNesterov === true ? 1 : 0 }),
  }],
  [tf.SGDOptimizer, { rule: 'sgd', slots: () => [], scalarTensors: (o) => ({ c: tensor(o, 'c') }), scalars: () => ({}) }],
];

type TApply = (this: TState, gradients: TGradients) => void;
const originals = new Map<object, TApply>();

/** One kernel call per variable instead of tfjs' 2 to 14 elementwise ops (and their scalars). */
function makeFusedApply(spec: TRuleSpec, original: TApply): TApply {
  return function applyGradients(this: TState, gradients: TGradients): void {
    if (tf.getKernel(FUSED_UPDATE_KERNEL, tf.getBackend()) == null) return original.call(this, gradients);
    const names = Array.isArray(gradients) ? gradients.map((g) => g.name) : Object.keys(gradients);
    const slotSpecs = spec.slots(this);
    tf.tidy(() => {
      const scalarTensors = spec.scalarTensors(this);
      const attrs: TFusedUpdateAttrs = { rule: spec.rule, slotCount: slotSpecs.length, scalars: spec.scalars(this) };
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name] as tf.Variable;
        const slots = slotSpecs.map(({ field, suffix, init }) => {
          const list = this[field] as Array<TSlot | undefined>;
          list[i] ??= { originalName: `${name}/${suffix}`, variable: tf.tidy(() => init(value).variable(false)) };
          return (list[i] as TSlot).variable;
        });
        const gradient = Array.isArray(gradients) ? gradients[i]?.tensor : gradients[name];
        if (gradient == null) return;
        const inputs: tf.NamedTensorMap = { value, gradient, ...scalarTensors };
        slots.forEach((slot, s) => (inputs[slotInputName(s)] = slot));
        const [newValue, ...newSlots] = tf.engine().runKernel(FUSED_UPDATE_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
        slots.forEach((slot, s) => slot.assign(newSlots[s] as tf.Tensor));
        value.assign(newValue as tf.Tensor);
      });
      spec.afterStep?.(this);
    });
    this.incrementIterations();
  };
}

/**
 * Makes tfjs' optimizers (adam, adamax, rmsprop, adagrad, adadelta, momentum, sgd) update each
 * variable with one fused kernel on the wasm and cpu backends, with float32 results equal to
 * tfjs' own update. Other backends keep the original method. Same slots, names and weights, so
 * checkpoints are unaffected. Idempotent.
 */
export function installFusedOptimizerUpdates(): void {
  registerFusedUpdateKernels();
  for (const [cls, spec] of SPECS) {
    const proto = cls.prototype as { applyGradients: TApply };
    if (originals.has(proto)) continue;
    originals.set(proto, proto.applyGradients);
    proto.applyGradients = makeFusedApply(spec, proto.applyGradients);
  }
}

/** Restores tfjs' own applyGradients (tests and benchmarks compare the two). */
export function uninstallFusedOptimizerUpdates(): void {
  for (const [proto, original] of originals) (proto as { applyGradients: TApply }).applyGradients = original;
  originals.clear();
}
