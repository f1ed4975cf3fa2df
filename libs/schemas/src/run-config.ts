import { z } from 'zod';

/** Architectures of the zoo (ZOO.md). */
export const ARCHITECTURES = ['mlp', 'lenet5', 'alexnet', 'googlenet', 'resnet', 'transfer'] as const;
export const ZArchitecture = z.enum(ARCHITECTURES);
export type TArchitecture = z.infer<typeof ZArchitecture>;

export const DATASETS = ['fashion-mnist', 'mnist', 'image-folder'] as const;
export const ZDatasetName = z.enum(DATASETS);
export type TDatasetName = z.infer<typeof ZDatasetName>;

/** Activations tfjs-layers accepts by name. */
export const ACTIVATIONS = [
  'relu', 'sigmoid', 'tanh', 'elu', 'selu', 'softplus', 'softsign', 'swish', 'mish', 'gelu', 'relu6', 'linear', 'hardSigmoid',
] as const;
export const ZActivation = z.enum(ACTIVATIONS);
export type TActivation = z.infer<typeof ZActivation>;

export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop', 'adagrad', 'adadelta', 'adamax'] as const;
export const ZOptimizerName = z.enum(OPTIMIZERS);

export const ZOptimizer = z.object({
  name: ZOptimizerName.default('adam'),
  learningRate: z.number().positive().max(10).default(0.001),
  /** sgd only (and rmsprop's momentum term). */
  momentum: z.number().min(0).max(1).default(0),
});
export type TOptimizer = z.infer<typeof ZOptimizer>;

/** Keras EarlyStopping arguments, camel-cased. */
export const ZEarlyStopping = z.object({
  monitor: z.enum(['val_loss', 'val_accuracy', 'loss', 'accuracy']).default('val_loss'),
  mode: z.enum(['auto', 'min', 'max']).default('auto'),
  patience: z.number().int().min(0).max(10_000).default(10),
  minDelta: z.number().min(0).default(0),
  baseline: z.number().nullable().default(null),
  restoreBestWeights: z.boolean().default(false),
});
export type TEarlyStopping = z.infer<typeof ZEarlyStopping>;

export const ZDataConfig = z.object({
  dataset: ZDatasetName.default('fashion-mnist'),
  /** Images per class taken from the training split (stratified, seeded); null = all. */
  subsetPerClass: z.number().int().positive().nullable().default(null),
  /** Images held out of training for validation (course: 5,000), or a fraction in (0,1). */
  validationSize: z.number().positive().default(5000),
  /** Test images per class used for the final evaluation; null = the whole test split. */
  testPerClass: z.number().int().positive().nullable().default(null),
  /** Resize to inputSize x inputSize; null keeps the data set's own size. */
  inputSize: z.number().int().min(8).max(512).nullable().default(null),
  channels: z.union([z.literal(1), z.literal(3)]).nullable().default(null),
  /** image-folder data sets only: a folder under the data root. */
  folder: z.string().regex(/^[\w.-]+(\/[\w.-]+)*$/, 'a relative path of plain names').optional(),
});
export type TDataConfig = z.infer<typeof ZDataConfig>;

/** Everything that defines one training run. Stored as Run.config; also the job payload's core. */
export const ZRunConfig = z.object({
  architecture: ZArchitecture,
  data: ZDataConfig.default(ZDataConfig.parse({})),
  epochs: z.number().int().min(1).max(10_000).default(30),
  batchSize: z.number().int().min(1).max(8192).default(32),
  optimizer: ZOptimizer.default(ZOptimizer.parse({})),
  /** Activation of conv layers (and of every hidden layer where the model has one kind). */
  activation: ZActivation.default('relu'),
  /** Dense-head activation; defaults per architecture (lenet5: sigmoid, ZOO.md). */
  denseActivation: ZActivation.optional(),
  dropout: z.number().min(0).max(0.95).optional(),
  /** Width multiplier for googlenet/resnet. */
  width: z.number().positive().max(4).optional(),
  /** resnet blocks per stage, e.g. [2,2,2,2] for ResNet-18. */
  depth: z.array(z.number().int().min(1).max(64)).min(1).max(8).optional(),
  earlyStopping: ZEarlyStopping.nullable().default(null),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
  /** Checkpoint every k epochs (and at the best epoch); 0 = only at the best epoch. */
  checkpointEvery: z.number().int().min(0).default(1),
  /** transfer: where the backbone comes from. */
  transfer: z
    .object({
      fromRunId: z.string().optional(),
      modelUrl: z.string().optional(),
      freezeUpTo: z.union([z.string(), z.number().int().min(0)]).optional(),
      fineTune: z.object({ epochs: z.number().int().min(1), learningRateFactor: z.number().positive().max(1).default(0.01) }).optional(),
    })
    .optional(),
});
export type TRunConfig = z.infer<typeof ZRunConfig>;
export type TRunConfigInput = z.input<typeof ZRunConfig>;
