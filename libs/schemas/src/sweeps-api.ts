import { z } from 'zod';

import { ZSlug } from './api';
import { ZArchitecture } from './run-config';
import { ZRunStatus } from './status';
import { ZSweepGoal, ZSweepMethod } from './sweep';
import { zText } from './text';

/**
 * The sweeps router's shapes (docs/SWEEPS.md, "Lifecycle"). The spec itself is checked by
 * libs/sweeps (validateSweep), whose issues carry paths relative to the spec.
 */

export const SWEEP_STATUSES = ['running', 'paused', 'finished', 'cancelled'] as const;
export const ZSweepStatus = z.enum(SWEEP_STATUSES);
export type TSweepStatus = z.infer<typeof ZSweepStatus>;

/** Largest YAML spec accepted. */
const MAX_SPEC_BYTES = 256 * 1024;

/** A spec as an object (JSON) or as YAML text: one of them (the service says which is missing). */
export const ZPreviewSweepInput = z.object({ spec: z.unknown().optional(), yaml: z.string().max(MAX_SPEC_BYTES).optional() });

export const ZCreateSweepInput = ZPreviewSweepInput.extend({
  /** Overrides the spec's `project`. */
  project: ZSlug.optional(),
  /** The same key twice in one project makes one sweep (a client retry). */
  idempotencyKey: zText(200).min(1).optional(),
});

export const ZCreateSweepOutput = z.object({
  sweepId: z.string(),
  /** Runs the sweep makes in all (grid size, or maxRuns in whole repeats). */
  runs: z.number().int(),
  /** Runs handed to the queue now (at most maxConcurrent). */
  queued: z.number().int(),
  /** Redis refused the jobs: the runs wait in the database and the reconciler enqueues them. */
  enqueueError: z.string().optional(),
});

/** Runs of a sweep by status (every status, zero included). */
export const ZSweepCounts = z.record(ZRunStatus, z.number().int());
export type TSweepCounts = z.infer<typeof ZSweepCounts>;

const ZJson = z.json();

export const ZSweepBest = z.object({ runId: z.string(), value: z.number() }).nullable();

export const ZSweepListItem = z.object({
  id: z.string(),
  name: z.string(),
  method: ZSweepMethod,
  status: ZSweepStatus,
  projectSlug: z.string(),
  createdAt: z.date(),
  counts: ZSweepCounts,
  best: ZSweepBest,
});

export const ZListSweepsInput = z.object({
  project: ZSlug.optional(),
  status: ZSweepStatus.optional(),
  cursor: z.uuid().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});

export const ZSweepRunRow = z.object({
  id: z.string(),
  name: z.string(),
  status: ZRunStatus,
  architecture: z.string(),
  params: z.record(z.string(), ZJson),
  configuration: z.number().int().nullable(),
  repeat: z.number().int().nullable(),
  seed: z.number().int().nullable(),
  /** The run's best value of the sweep metric, and its epoch. */
  bestValue: z.number().nullable(),
  bestEpoch: z.number().int().nullable(),
  epochs: z.number().int(),
  prunedRung: z.number().int().nullable(),
  prunedCutoff: z.number().nullable(),
  error: z.string().nullable(),
});
export type TSweepRunRow = z.infer<typeof ZSweepRunRow>;

export const ZBestRun = z.object({
  runId: z.string(),
  architecture: z.string(),
  params: z.record(z.string(), ZJson),
  value: z.number(),
  epoch: z.number().int().nullable(),
});

export const ZSweepSummary = z.object({
  counts: ZSweepCounts,
  /** Best first, by the sweep metric at each run's best epoch. */
  bestRuns: z.array(ZBestRun),
  marginals: z.array(
    z.object({
      key: z.string(),
      path: z.string(),
      architectures: z.array(ZArchitecture),
      groups: z.array(
        z.object({
          label: z.string(),
          value: ZJson.optional(),
          low: z.number().optional(),
          high: z.number().optional(),
          count: z.number().int(),
          mean: z.number(),
          std: z.number(),
          best: z.number(),
        }),
      ),
    }),
  ),
  importance: z.array(z.object({ key: z.string(), importance: z.number(), fraction: z.number(), std: z.number() })),
});
export type TSweepSummary = z.infer<typeof ZSweepSummary>;

export const ZSweepDetail = z.object({
  id: z.string(),
  name: z.string(),
  method: ZSweepMethod,
  status: ZSweepStatus,
  projectSlug: z.string(),
  spec: ZJson,
  metric: z.object({ name: z.string(), goal: ZSweepGoal }),
  maxRuns: z.number().int(),
  maxConcurrent: z.number().int(),
  createdAt: z.date(),
  finishedAt: z.date().nullable(),
  counts: ZSweepCounts,
  best: ZSweepBest,
  /** Stored when every run has ended. */
  summary: ZSweepSummary.nullable(),
  runs: z.array(ZSweepRunRow),
});
export type TSweepDetail = z.infer<typeof ZSweepDetail>;

export const ZSweepEstimate = z.object({ seconds: z.number(), basis: z.string() }).nullable();

export const ZSweepControlOutput = z.object({
  sweepId: z.string(),
  status: ZSweepStatus,
  /** Runs written and handed to the queue by this call. */
  created: z.number().int(),
  enqueueError: z.string().optional(),
});

/** More runs for a sweep (finished ones included): the plan goes on past its end. */
export const ZAddSweepRunsInput = z.object({ runs: z.number().int().min(1).max(100_000) });

/** libs/sweeps' preview (`hz sweep preview --json` prints the same) plus an estimate from measured epochs. */
const ZSweepPreview = z.object({
  name: z.string(),
  method: ZSweepMethod,
  metric: z.object({ name: z.string(), goal: ZSweepGoal }),
  runs: z.number().int(),
  configurations: z.number().int(),
  repeats: z.number().int(),
  seeds: z.array(z.number().int()),
  perArchitecture: z.partialRecord(ZArchitecture, z.number().int()).nullable(),
  parameters: z.array(
    z.object({
      path: z.string(),
      architectures: z.array(ZArchitecture),
      distribution: z.string(),
      values: z.array(ZJson).optional(),
      min: z.number().optional(),
      max: z.number().optional(),
      count: z.number().int().nullable(),
    }),
  ),
  rungs: z.array(z.array(z.number().int())).nullable(),
  maxConcurrent: z.number().int(),
  resourceClass: z.string(),
  estimate: ZSweepEstimate,
});

/** A refusal of a spec: the offending value's path relative to the spec, and its place in the YAML when there is one. */
const ZSweepIssue = z.object({ path: z.string(), message: z.string(), line: z.number().int().optional(), column: z.number().int().optional() });

/**
 * sweeps.preview: the preview, or the spec's issues as data (a form checking as you type gets an
 * answer, not an HTTP error, for every state on the way to a valid spec).
 */
export const ZSweepPreviewOutput = z.discriminatedUnion('ok', [
  ZSweepPreview.extend({ ok: z.literal(true) }),
  z.object({ ok: z.literal(false), issues: z.array(ZSweepIssue).min(1) }),
]);
export type TSweepPreviewOutput = z.infer<typeof ZSweepPreviewOutput>;
