import * as tf from '@tensorflow/tfjs';

type TLayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface TResizingArgs extends TLayerArgs {
  height: number;
  width: number;
  interpolation?: 'bilinear' | 'nearest';
}

/**
 * Resizes NHWC images to height x width. Replaces tf.layers.resizing, whose computeOutputShape
 * is wrong for batched NHWC input in tfjs 4.22 (shared/ENVIRONMENT.md). Half-pixel centres
 * match Keras' Resizing (tf.image.resize in TF2).
 */
export class ResizingLayer extends tf.layers.Layer {
  static readonly className = 'HzResizing';
  readonly height: number;
  readonly width: number;
  readonly interpolation: 'bilinear' | 'nearest';

  constructor(args: TResizingArgs) {
    super(args);
    this.height = args.height;
    this.width = args.width;
    this.interpolation = args.interpolation ?? 'bilinear';
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    if (shape.length !== 4) throw new Error(`${this.name}: expects NHWC input (rank 4), got shape [${shape.join(', ')}]`);
    return [shape[0] ?? null, this.height, this.width, shape[3] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const size: [number, number] = [this.height, this.width];
      return this.interpolation === 'nearest'
        ? tf.image.resizeNearestNeighbor(x, size, false, true)
        : tf.image.resizeBilinear(x, size, false, true);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), height: this.height, width: this.width, interpolation: this.interpolation };
  }
}
tf.serialization.registerClass(ResizingLayer);
