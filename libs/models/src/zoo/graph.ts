import * as tf from '@tensorflow/tfjs';

import type { TActivation } from '@hyperzoo/schemas';

import { FusedBatchNormalization } from './batch-norm';
import { FusedConv2DLayer } from './conv2d';

/** Thrown when options are valid on their own but the network cannot be built from them. */
export class ZooBuildError extends Error {
  override name = 'ZooBuildError';
}

/** Round a width-multiplied channel count; never below 1. */
export function scaleWidth(channels: number, width: number): number {
  return Math.max(1, Math.round(channels * width));
}

/**
 * Deterministic per-layer seeds from one run seed (mulberry32), so the same seed builds the
 * same weights while no two layers share a seed (identical seeds would give identical kernels).
 */
function createSeedSequence(seed: number): () => number {
  let state = (seed ^ 0x9e3779b9) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) % 2_147_483_647;
  };
}

type TLayerConfig = Record<string, unknown>;

function describeWindow(layer: tf.layers.Layer, input: tf.SymbolicTensor): string {
  const config = layer.getConfig() as TLayerConfig;
  const kernel = (config.kernelSize ?? config.poolSize) as number[] | undefined;
  const strides = config.strides as number[] | undefined;
  const [h, w] = [input.shape[1], input.shape[2]];
  const parts: string[] = [];
  if (kernel) parts.push(`${kernel.join('x')}`);
  if (strides) parts.push(`stride ${strides[0] === strides[1] ? strides[0] : strides.join('x')}`);
  parts.push(`on ${h}x${w}`);
  return parts.join(' ');
}

/**
 * A functional-API graph under construction: hands out seeded initializers and applies layers
 * while checking shapes, so a too-small input fails naming the layer instead of deep inside tfjs.
 */
export class GraphBuilder {
  private readonly nextSeed: () => number;
  private readonly layers: tf.layers.Layer[] = [];

  constructor(
    readonly arch: string,
    /** e.g. "input 28x28" or "input 28x28 resized to 20"; used in error messages. */
    readonly inputDescription: string,
    seed: number,
  ) {
    this.nextSeed = createSeedSequence(seed);
  }

  /** Keras' default kernel initializer (glorot_uniform), seeded per layer. */
  glorot(): ReturnType<typeof tf.initializers.glorotUniform> {
    return tf.initializers.glorotUniform({ seed: this.nextSeed() });
  }

  /** `shared`: the layer belongs to someone else (a backbone) and is not freed if the build fails. */
  apply(layer: tf.layers.Layer, input: tf.SymbolicTensor | tf.SymbolicTensor[], shared = false): tf.SymbolicTensor {
    if (!shared) this.layers.push(layer);
    try {
      const output = layer.apply(input) as tf.SymbolicTensor;
      const dims = output.shape.slice(1);
      if (dims.some((d) => d !== null && d <= 0)) {
        const first = Array.isArray(input) ? input[0] : input;
        const where = first && first.shape.length === 4 ? ` (${describeWindow(layer, first)})` : '';
        throw new ZooBuildError(`${this.arch}: ${this.inputDescription} gives a non-positive size at ${layer.name}${where}`);
      }
      return output;
    } catch (err) {
      // A half-built graph belongs to no model, so nobody else could free its weights.
      for (const built of this.layers) for (const weight of built.weights) weight.dispose();
      throw err;
    }
  }

  conv(
    input: tf.SymbolicTensor,
    args: {
      name: string;
      filters: number;
      kernel: number;
      strides?: number;
      padding?: 'same' | 'valid';
      activation?: TActivation;
      useBias?: boolean;
    },
  ): tf.SymbolicTensor {
    const layer = new FusedConv2DLayer({
      name: args.name,
      filters: args.filters,
      kernelSize: args.kernel,
      strides: args.strides ?? 1,
      padding: args.padding ?? 'valid',
      activation: args.activation ?? 'linear',
      useBias: args.useBias ?? true,
      kernelInitializer: this.glorot(),
    });
    return this.apply(layer, input);
  }

  dense(input: tf.SymbolicTensor, args: { name: string; units: number; activation: TActivation | 'softmax' }): tf.SymbolicTensor {
    const layer = tf.layers.dense({ name: args.name, units: args.units, activation: args.activation, kernelInitializer: this.glorot() });
    return this.apply(layer, input);
  }

  /** Dropout is not seeded on purpose: tfjs re-seeds per call, so a fixed seed would drop the same units every step. */
  dropout(input: tf.SymbolicTensor, name: string, rate: number): tf.SymbolicTensor {
    return rate > 0 ? this.apply(tf.layers.dropout({ name, rate }), input) : input;
  }

  batchNorm(input: tf.SymbolicTensor, name: string, zeroGamma = false): tf.SymbolicTensor {
    const layer = new FusedBatchNormalization({ name, gammaInitializer: zeroGamma ? 'zeros' : 'ones' });
    return this.apply(layer, input);
  }

  activation(input: tf.SymbolicTensor, name: string, activation: TActivation): tf.SymbolicTensor {
    return this.apply(tf.layers.activation({ name, activation }), input);
  }
}

/** "input 28x28" for error messages. */
export function describeInput(shape: readonly number[]): string {
  return `input ${shape[0]}x${shape[1]}`;
}
