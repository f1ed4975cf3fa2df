import { z } from 'zod';

import { metricDirection, ZMonitor } from './metrics';
import { ZResourceClass } from './platform';
import { ZArchitecture, ZDataConfig, type TArchitecture } from './run-config';

/**
 * The sweep spec (issue "Step 6 · Sweeps"): which architectures, which run-config parameters
 * and how to search them. Parameters are keyed by dotted run-config paths and written like
 * W&B's sweep config (`value`, `values`, `distribution`). This schema checks the spec's own
 * shape; libs/sweeps checks every parameter against each architecture's run-config schema.
 */

export const SWEEP_METHODS = ['grid', 'random', 'tpe'] as const;
export const ZSweepMethod = z.enum(SWEEP_METHODS);
export type TSweepMethod = z.infer<typeof ZSweepMethod>;

export const SWEEP_GOALS = ['maximize', 'minimize'] as const;
export const ZSweepGoal = z.enum(SWEEP_GOALS);
export type TSweepGoal = z.infer<typeof ZSweepGoal>;

/** Runs a grid may expand to unless the caller allows more. */
export const DEFAULT_GRID_CAP = 1000;
/** Optuna's TPESampler defaults. */
export const TPE_DEFAULTS = { startupTrials: 10, eiCandidates: 24 } as const;

/** Paths the sweep sets itself: the architecture list and the seeds from `repeats`. */
export const RESERVED_PARAMETERS = ['architecture', 'seed'] as const;

/** A dotted run-config path: `dropout`, `optimizer.learningRate`, `data.inputSize`. */
export const ZParameterPath = z
  .string()
  .max(200)
  .regex(/^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/, 'a dotted run-config path such as optimizer.learningRate')
  .refine((p) => !(RESERVED_PARAMETERS as readonly string[]).includes(p), {
    message: 'set by the sweep itself (architectures, repeats and seed)',
  });

const finite = () => z.number().finite();

const ZConstant = z.strictObject({ distribution: z.literal('constant'), value: z.json() });
const ZCategorical = z
  .strictObject({
    distribution: z.literal('categorical'),
    values: z.array(z.json()).min(1).max(1000),
    /** Relative weights for random search (TPE's prior stays uniform, as in Optuna). */
    weights: z.array(z.number().finite().min(0)).optional(),
  })
  .refine((p) => p.weights === undefined || p.weights.length === p.values.length, {
    message: 'one weight per value',
    path: ['weights'],
  })
  .refine((p) => p.weights === undefined || p.weights.some((w) => w > 0), {
    message: 'at least one weight must be positive',
    path: ['weights'],
  });
const minBelowMax = <T extends { min: number; max: number }>(p: T) => p.min < p.max;
const MIN_BELOW_MAX = { message: 'min must be below max', path: ['max'] };
const ZUniform = z.strictObject({ distribution: z.literal('uniform'), min: finite(), max: finite() }).refine(minBelowMax, MIN_BELOW_MAX);
/** min and max are the values themselves (W&B's log_uniform_values), not their logs. */
const ZLogUniform = z
  .strictObject({ distribution: z.literal('log_uniform'), min: finite().positive(), max: finite() })
  .refine(minBelowMax, MIN_BELOW_MAX);
const ZIntUniform = z
  .strictObject({ distribution: z.literal('int_uniform'), min: z.number().int(), max: z.number().int() })
  .refine(minBelowMax, MIN_BELOW_MAX);
/** min, min+q, min+2q, ... up to max. */
const ZQUniform = z
  .strictObject({ distribution: z.literal('q_uniform'), min: finite(), max: finite(), q: finite().positive() })
  .refine(minBelowMax, MIN_BELOW_MAX)
  .refine((p) => p.q <= p.max - p.min, { message: 'q must not exceed max - min', path: ['q'] });
/** Clipped to [min, max] when given. TPE searches mu ± 3 sigma (within min/max). */
const ZNormal = z
  .strictObject({ distribution: z.literal('normal'), mu: finite(), sigma: finite().positive(), min: finite().optional(), max: finite().optional() })
  .refine((p) => p.min === undefined || p.max === undefined || p.min < p.max, MIN_BELOW_MAX);

const DISTRIBUTIONS = ['constant', 'categorical', 'uniform', 'log_uniform', 'int_uniform', 'q_uniform', 'normal'] as const;
export const ZDistributionName = z.enum(DISTRIBUTIONS);

/** `{ value }` is a constant and `{ values }` a categorical, as in W&B; everything else names its distribution. */
function withDistribution(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input) || 'distribution' in input) return input;
  if ('value' in input) return { distribution: 'constant', ...input };
  if ('values' in input) return { distribution: 'categorical', ...input };
  return input;
}

export const ZParameterSpec = z.preprocess(
  withDistribution,
  z.discriminatedUnion('distribution', [ZConstant, ZCategorical, ZUniform, ZLogUniform, ZIntUniform, ZQUniform, ZNormal], {
    error: () => 'give value, values, or a distribution (one of ' + DISTRIBUTIONS.join(', ') + ')',
  }),
);
export type TParameterSpec = z.infer<typeof ZParameterSpec>;

export const ZSweepParameters = z.record(ZParameterPath, ZParameterSpec).refine((p) => Object.keys(p).length <= 50, 'at most 50 parameters');
export type TSweepParameters = z.infer<typeof ZSweepParameters>;

const ZArchitectureBlock = z
  .strictObject({ parameters: ZSweepParameters.default({}) })
  .nullable()
  .transform((b) => b ?? { parameters: {} });

/** A list of names, or per-architecture blocks with their own parameters (they override the shared ones). */
export const ZSweepArchitectures = z
  .union([
    z
      .array(ZArchitecture)
      .min(1)
      .refine((list) => new Set(list).size === list.length, 'an architecture is listed twice'),
    z.partialRecord(ZArchitecture, ZArchitectureBlock).refine((r) => Object.keys(r).length > 0, {
      message: 'name at least one architecture',
      when: (payload) => payload.issues.length === 0,
    }),
  ])
  .transform((a) =>
    Array.isArray(a)
      ? Object.fromEntries(a.map((arch) => [arch, { parameters: {} }]))
      : (a as Partial<Record<TArchitecture, { parameters: TSweepParameters }>>),
  );

export const ZSweepMetric = z
  .strictObject({ name: ZMonitor, goal: ZSweepGoal.optional() })
  .transform((m) => ({ name: m.name, goal: m.goal ?? (metricDirection(m.name) === 'max' ? ('maximize' as const) : ('minimize' as const)) }))
  .refine((m) => (metricDirection(m.name) === 'max') === (m.goal === 'maximize'), {
    message: 'goal contradicts the metric catalogue (accuracy is maximized, loss minimized)',
    path: ['goal'],
  });
export type TSweepMetric = z.infer<typeof ZSweepMetric>;

/** Hyperband/ASHA rungs at minEpochs, minEpochs*eta, ... below maxEpochs (default: the runs' epochs). */
export const ZEarlyTermination = z
  .strictObject({
    type: z.literal('hyperband'),
    minEpochs: z.number().int().min(1).max(10_000),
    eta: z.number().int().min(2).max(100).default(3),
    maxEpochs: z.number().int().min(2).max(10_000).optional(),
    /** Hyperband brackets; 1 is plain ASHA. Runs are spread over them round-robin. */
    brackets: z.number().int().min(1).max(10).default(1),
  })
  .refine((e) => e.maxEpochs === undefined || e.maxEpochs > e.minEpochs, { message: 'maxEpochs must exceed minEpochs', path: ['maxEpochs'] });
export type TEarlyTermination = z.infer<typeof ZEarlyTermination>;

const FINITE_DISTRIBUTIONS: readonly string[] = ['constant', 'categorical', 'int_uniform', 'q_uniform'];

export const ZSweepSpec = z
  .strictObject({
    name: z.string().min(1).max(200),
    project: z.string().min(1).max(200).default('default'),
    description: z.string().max(5000).optional(),
    architectures: ZSweepArchitectures,
    /** The runs' `data` (run config); parameters may still vary `data.*`. */
    dataset: ZDataConfig.prefault({}),
    method: ZSweepMethod,
    metric: ZSweepMetric,
    parameters: ZSweepParameters.default({}),
    /** Runs per configuration, each with its own seed (the same seeds for every configuration). */
    repeats: z.number().int().min(1).max(100).default(1),
    /** Seeds random and TPE search and the repeats' seeds: same spec, same runs. */
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    /** Runs in all (configurations x repeats); required for random and tpe. */
    maxRuns: z.number().int().min(1).max(100_000).optional(),
    maxConcurrent: z.number().int().min(1).max(1000).default(4),
    resourceClass: ZResourceClass.default('cpu'),
    earlyTermination: ZEarlyTermination.optional(),
    tpe: z
      .strictObject({
        startupTrials: z.number().int().min(1).max(1000).default(TPE_DEFAULTS.startupTrials),
        eiCandidates: z.number().int().min(1).max(1000).default(TPE_DEFAULTS.eiCandidates),
      })
      .optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.method !== 'grid' && spec.maxRuns === undefined) {
      ctx.addIssue({ code: 'custom', path: ['maxRuns'], message: `${spec.method} search needs maxRuns` });
    }
    if (spec.maxRuns !== undefined && spec.maxRuns < spec.repeats) {
      ctx.addIssue({ code: 'custom', path: ['maxRuns'], message: `maxRuns (${spec.maxRuns}) is below repeats (${spec.repeats})` });
    }
    if (spec.tpe !== undefined && spec.method !== 'tpe') {
      ctx.addIssue({ code: 'custom', path: ['tpe'], message: 'tpe options need method: tpe' });
    }
    if (spec.method === 'grid') {
      const blocks = Object.entries(spec.architectures).map(([arch, b]) => [['architectures', arch, 'parameters'], b?.parameters ?? {}] as const);
      for (const [prefix, parameters] of [[['parameters'], spec.parameters] as const, ...blocks]) {
        for (const [path, p] of Object.entries(parameters)) {
          if (!FINITE_DISTRIBUTIONS.includes(p.distribution)) {
            ctx.addIssue({
              code: 'custom',
              path: [...prefix, path, 'distribution'],
              message: `a grid needs a finite set: use values, int_uniform or q_uniform, not ${p.distribution}`,
            });
          }
        }
      }
    }
  });
export type TSweepSpec = z.infer<typeof ZSweepSpec>;
export type TSweepSpecInput = z.input<typeof ZSweepSpec>;
