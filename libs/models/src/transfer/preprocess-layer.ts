import * as tf from '@tensorflow/tfjs';

type TLayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** keras.applications preprocess_input modes: 'caffe' (ResNet50/VGG), 'tf' (Xception, MobileNet). */
export const BACKBONE_PREPROCESSING = ['caffe', 'tf', 'none'] as const;
export type TBackbonePreprocessing = (typeof BACKBONE_PREPROCESSING)[number];

const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68];

export interface TBackbonePreprocessArgs extends TLayerArgs {
  height: number;
  width: number;
  channels: number;
  mode: TBackbonePreprocessing;
  /** Multiplies the input first so pixel values are 0-255 (255 for data scaled to [0,1]). */
  pixelScale?: number;
}

/**
 * Makes data fit a pretrained backbone inside the model, so a saved transfer model predicts on
 * the same inputs it trained on: scale to 0-255, resize to the backbone's size, repeat a grey
 * channel to RGB, then the backbone's own preprocess_input.
 */
export class BackbonePreprocessLayer extends tf.layers.Layer {
  static readonly className = 'HzBackbonePreprocess';
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly mode: TBackbonePreprocessing;
  readonly pixelScale: number;

  constructor(args: TBackbonePreprocessArgs) {
    super(args);
    this.height = args.height;
    this.width = args.width;
    this.channels = args.channels;
    this.mode = args.mode;
    this.pixelScale = args.pixelScale ?? 1;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inChannels = shape[3];
    if (shape.length !== 4) throw new Error(`${this.name}: expects NHWC input (rank 4), got [${shape.join(', ')}]`);
    if (inChannels !== this.channels && inChannels !== 1) {
      throw new Error(`${this.name}: cannot turn ${inChannels} channels into the backbone's ${this.channels}`);
    }
    return [shape[0] ?? null, this.height, this.width, this.channels];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      let x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      if (this.pixelScale !== 1) x = x.mul(this.pixelScale);
      if (x.shape[1] !== this.height || x.shape[2] !== this.width) x = tf.image.resizeBilinear(x, [this.height, this.width], false, true);
      if (x.shape[3] === 1 && this.channels !== 1) x = tf.tile(x, [1, 1, 1, this.channels]);
      if (this.mode === 'tf') return x.div(127.5).sub(1);
      if (this.mode === 'caffe') return x.reverse(3).sub(tf.tensor1d(CAFFE_MEAN_BGR));
      return x;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      height: this.height,
      width: this.width,
      channels: this.channels,
      mode: this.mode,
      pixelScale: this.pixelScale,
    };
  }
}
tf.serialization.registerClass(BackbonePreprocessLayer);
