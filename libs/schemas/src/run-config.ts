import { z } from 'zod';

import { ZMonitor } from './metrics';
import { zText } from './text';

/**
 * The run config: one schema per architecture (a union on `architecture`), each with exactly
 * the options that architecture takes, their defaults and ranges. libs/models' builders take
 * the parsed values; the API refuses an impossible combination before anything is queued.
 */

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

export const ZOptimizer = z.strictObject({
  name: ZOptimizerName.default('adam'),
  learningRate: z.number().positive().max(10).default(0.001),
  /** sgd only (and rmsprop's momentum term). */
  momentum: z.number().min(0).max(1).default(0),
});
export type TOptimizer = z.infer<typeof ZOptimizer>;

/** Keras EarlyStopping arguments, camel-cased. */
export const ZEarlyStopping = z.strictObject({
  monitor: ZMonitor.default('val_loss'),
  mode: z.enum(['auto', 'min', 'max']).default('auto'),
  patience: z.number().int().min(0).max(10_000).default(10),
  minDelta: z.number().min(0).default(0),
  baseline: z.number().nullable().default(null),
  restoreBestWeights: z.boolean().default(false),
  /** Keras 3 start_from_epoch: the first this many epochs are not monitored (warm-up). */
  startFromEpoch: z.number().int().min(0).max(1_000_000).default(0),
});
export type TEarlyStopping = z.infer<typeof ZEarlyStopping>;

/** A relative path of plain names: nothing that climbs out of its root. */
export const ZRelativePath = z
  .string()
  .max(500)
  .regex(/^[\w.-]+(\/[\w.-]+)*$/, 'a relative path of plain names')
  .refine((p) => !p.split('/').some((part) => part === '..' || part === '.'), 'must not contain . or .. parts');

export const ZDataConfig = z.strictObject({
  dataset: ZDatasetName.default('fashion-mnist'),
  /** Images per class taken from the training split (stratified, seeded); null = all. */
  subsetPerClass: z.number().int().positive().max(1_000_000).nullable().default(null),
  /** Images held out of training for validation (course: 5,000), or a fraction in (0,1). */
  validationSize: z.number().positive().max(10_000_000).default(5000),
  /**
   * Keep only these classes of the data set (train, validation and test), relabelled 0..k-1 in
   * this order; null = all. E.g. a backbone on Fashion-MNIST 0-4, a transfer run on 5-9.
   */
  classes: z
    .array(z.number().int().min(0).max(255))
    .min(2)
    .max(256)
    .refine((c) => new Set(c).size === c.length, 'each class at most once')
    .nullable()
    .default(null),
  /** Test images per class used for the final evaluation; null = the whole test split. */
  testPerClass: z.number().int().positive().max(1_000_000).nullable().default(null),
  /** Resize to inputSize x inputSize; null keeps the data set's own size. */
  inputSize: z.number().int().min(8).max(512).nullable().default(null),
  channels: z.union([z.literal(1), z.literal(3)]).nullable().default(null),
  /** image-folder data sets only: a folder under the data root. */
  folder: ZRelativePath.optional(),
});
export type TDataConfig = z.infer<typeof ZDataConfig>;

// Options shared by several architectures: one range each.
export const ZDropoutRate = z.number().min(0).max(0.95);
/** Multiplies every layer's filters/units; 1 is the reference network. */
export const ZWidth = z.number().positive().max(4);
/** imagenet: 7x7/2 conv + pooling; small: 3x3/1 for 28x28 inputs; auto: small below 64 px. */
export const ZStem = z.enum(['auto', 'imagenet', 'small']);
/** resnet blocks per stage, e.g. [2,2,2,2] for ResNet-18. */
export const ZResnetDepth = z.array(z.number().int().min(1).max(64)).min(1).max(8);
export const RESNET18_DEPTH = [2, 2, 2, 2] as const;

/**
 * Each architecture's own options with their defaults (ZOO.md). libs/models' builders spread
 * these into their option schemas, so a default or range lives here only.
 */
export const ARCHITECTURE_OPTIONS = {
  mlp: {
    activation: ZActivation.default('relu'),
    /** After each hidden layer (the baseline has none). */
    dropout: ZDropoutRate.default(0),
    width: ZWidth.default(1),
  },
  lenet5: {
    /** Conv activation. */
    activation: ZActivation.default('relu'),
    /** Dense-head activation; the course uses sigmoid. */
    denseActivation: ZActivation.default('sigmoid'),
    /** After each hidden dense layer (the course variant has none). */
    dropout: ZDropoutRate.default(0),
    width: ZWidth.default(1),
  },
  alexnet: {
    activation: ZActivation.default('relu'),
    denseActivation: ZActivation.default('relu'),
    /** After each of the two 4096-unit dense layers. */
    dropout: ZDropoutRate.default(0.5),
    width: ZWidth.default(1),
  },
  googlenet: {
    activation: ZActivation.default('relu'),
    /** Before the classifier; the paper uses 0.4. */
    dropout: ZDropoutRate.default(0.4),
    width: ZWidth.default(1),
    stem: ZStem.default('auto'),
  },
  resnet: {
    activation: ZActivation.default('relu'),
    /** Before the classifier; ResNet has none by default. */
    dropout: ZDropoutRate.default(0),
    width: ZWidth.default(1),
    depth: ZResnetDepth.default([...RESNET18_DEPTH]),
    stem: ZStem.default('auto'),
  },
  transfer: {
    /** Before the new classifier. */
    dropout: ZDropoutRate.default(0),
  },
} as const;

/** A run id, or a local run directory's name (`hz train`): plain characters only. */
export const ZRunRef = z.string().min(1).max(100).regex(/^[\w-]+$/, 'a run id (letters, digits, _ and -)');

/** Pretrained ImageNet backbones libs/models knows (input size, preprocess_input, feature layer, public URL). */
export const KNOWN_BACKBONE_NAMES = ['resnet50', 'xception', 'mobilenet'] as const;
export const ZKnownBackboneName = z.enum(KNOWN_BACKBONE_NAMES);
export type TKnownBackboneName = z.infer<typeof ZKnownBackboneName>;
/**
 * Public TensorFlow.js layers-model conversions (model.json) of those backbones, loaded when a run
 * gives no modelUrl; null where none is published (the operator converts and hosts it).
 */
export const KNOWN_BACKBONE_URLS: Readonly<Record<TKnownBackboneName, string | null>> = {
  resnet50: null,
  xception: null,
  mobilenet: 'https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_1.0_224/model.json',
};

export const ZTransferSource = z
  .strictObject({
    /** A finished run whose model (or newest checkpoint) becomes the backbone. */
    fromRunId: ZRunRef.optional(),
    /** A tfjs model (model.json) by URL or file path, checked by the worker against its allowed roots. */
    modelUrl: zText(2000).min(1).optional(),
    /**
     * A known pretrained backbone: its input size, preprocess_input and feature layer are applied.
     * Loaded from modelUrl when given, else from its registered public URL (under the allow-list).
     */
    backbone: ZKnownBackboneName.optional(),
    /** SHA-256 (hex) model.json must have (modelUrl or backbone); a different file is refused. */
    modelSha256: z.string().regex(/^[0-9a-fA-F]{64}$/, '64 hex digits').optional(),
    /** Freeze backbone layers up to this name (inclusive) or this many; default: the whole backbone. */
    freezeUpTo: z.union([zText(200).min(1), z.number().int().min(0).max(10_000)]).optional(),
    /** Second phase: unfreeze and train on at learningRate x learningRateFactor. */
    fineTune: z
      .strictObject({ epochs: z.number().int().min(1).max(10_000), learningRateFactor: z.number().positive().max(1).default(0.01) })
      .optional(),
  })
  .refine((s) => (s.fromRunId === undefined) !== (s.modelUrl === undefined && s.backbone === undefined), {
    message: 'give exactly one of fromRunId and modelUrl (or backbone)',
  })
  .refine((s) => s.fromRunId === undefined || s.modelSha256 === undefined, { message: 'modelSha256 goes with modelUrl or backbone' });
export type TTransferSource = z.infer<typeof ZTransferSource>;

/** Fields every run has, whatever the architecture. */
const COMMON_FIELDS = {
  data: ZDataConfig.prefault({}),
  epochs: z.number().int().min(1).max(10_000).default(30),
  batchSize: z.number().int().min(1).max(8192).default(32),
  optimizer: ZOptimizer.prefault({}),
  earlyStopping: ZEarlyStopping.nullable().default(null),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
  /** Checkpoint every k epochs (and at the best epoch); 0 = only at the best epoch. */
  checkpointEvery: z.number().int().min(0).max(10_000).default(1),
};

const runConfigOf = <A extends TArchitecture, S extends z.ZodRawShape>(architecture: A, shape: S) =>
  z.strictObject({ architecture: z.literal(architecture), ...COMMON_FIELDS, ...shape });

export const ZMlpRunConfig = runConfigOf('mlp', ARCHITECTURE_OPTIONS.mlp);
export const ZLenet5RunConfig = runConfigOf('lenet5', ARCHITECTURE_OPTIONS.lenet5);
export const ZAlexnetRunConfig = runConfigOf('alexnet', ARCHITECTURE_OPTIONS.alexnet);
export const ZGooglenetRunConfig = runConfigOf('googlenet', ARCHITECTURE_OPTIONS.googlenet);
export const ZResnetRunConfig = runConfigOf('resnet', ARCHITECTURE_OPTIONS.resnet);
export const ZTransferRunConfig = runConfigOf('transfer', { ...ARCHITECTURE_OPTIONS.transfer, transfer: ZTransferSource });

/** Everything that defines one training run. Stored as Run.config; also the job payload's core. */
export const ZRunConfig = z.discriminatedUnion('architecture', [
  ZMlpRunConfig,
  ZLenet5RunConfig,
  ZAlexnetRunConfig,
  ZGooglenetRunConfig,
  ZResnetRunConfig,
  ZTransferRunConfig,
]);
export type TRunConfig = z.infer<typeof ZRunConfig>;
export type TRunConfigInput = z.input<typeof ZRunConfig>;
export type TRunConfigOf<A extends TArchitecture> = Extract<TRunConfig, { architecture: A }>;

/** The option names an architecture takes beyond the common fields (for help texts and the catalogue). */
export const optionNamesOf = (arch: TArchitecture): string[] => [
  ...Object.keys(ARCHITECTURE_OPTIONS[arch]),
  ...(arch === 'transfer' ? ['transfer'] : []),
];
