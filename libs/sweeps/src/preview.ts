import type { TArchitecture, TSweepSpec } from '@hyperzoo/schemas';

import { DEFAULT_EPOCHS } from './configs';
import { countRuns, gridCounts, randomAssignment, type TExpandOptions } from './expand';
import { hyperbandRungs } from './hyperband';
import type { TSweepIssue } from './issues';
import { repeatSeeds } from './random';
import { cardinality, finiteValues, paramsOf, type TJson, type TSearchSpace } from './space';
import { validateSweep, validateSweepYaml, type TSweepCheck } from './spec';

export interface TPreviewParameter {
  path: string;
  /** Which architectures it applies to. */
  architectures: TArchitecture[];
  distribution: string;
  /** Finite parameters: every value; otherwise the range. */
  values?: TJson[];
  min?: number;
  max?: number;
  /** How many values a grid takes (null: continuous). */
  count: number | null;
}

export interface TSweepPreview {
  name: string;
  method: TSweepSpec['method'];
  metric: TSweepSpec['metric'];
  /** Runs the sweep creates (grid), or at most (random, tpe: maxRuns rounded down to whole repeats). */
  runs: number;
  configurations: number;
  repeats: number;
  seeds: number[];
  /** Runs per architecture; null for tpe, which chooses as results arrive. */
  perArchitecture: Partial<Record<TArchitecture, number>> | null;
  parameters: TPreviewParameter[];
  /** Hyperband rung epochs per bracket, when early termination is on and the epochs are known. */
  rungs: number[][] | null;
  maxConcurrent: number;
  resourceClass: TSweepSpec['resourceClass'];
}

export type TPreviewResult = { ok: true; preview: TSweepPreview } | { ok: false; issues: TSweepIssue[] };

const DISTRIBUTION_NAMES: Record<string, string> = { float: 'uniform', int: 'int_uniform', normal: 'normal', categorical: 'categorical', constant: 'constant' };

function describeParams(space: TSearchSpace): TPreviewParameter[] {
  return space.params.map((p) => {
    const d = p.dim;
    const distribution = d.type === 'float' ? (d.step !== null ? 'q_uniform' : d.log ? 'log_uniform' : 'uniform') : (DISTRIBUTION_NAMES[d.type] ?? d.type);
    const count = Number.isFinite(cardinality(d)) ? cardinality(d) : null;
    const values = count !== null && count <= 100 ? (finiteValues(d) ?? undefined) : undefined;
    const range = d.type === 'float' || d.type === 'int' ? { min: d.low, max: d.high } : d.type === 'normal' ? { ...(d.low !== null ? { min: d.low } : {}), ...(d.high !== null ? { max: d.high } : {}) } : {};
    return { path: p.path, architectures: p.architectures, distribution, ...(values ? { values } : {}), ...range, count };
  });
}

/** The runs' epochs when every architecture trains the same fixed number (a constant, or the default). */
function fixedEpochs(space: TSearchSpace): number | null {
  const perArch = space.architectures.map((arch) => {
    const p = paramsOf(space, arch).find((q) => q.path === 'epochs');
    if (p === undefined) return DEFAULT_EPOCHS;
    return p.dim.type === 'constant' && typeof p.dim.value === 'number' ? p.dim.value : null;
  });
  const [first] = perArch;
  return first !== undefined && perArch.every((e) => e === first) ? first : null;
}

function previewOf(spec: TSweepSpec, space: TSearchSpace): TSweepPreview {
  const { configurations, runs } = countRuns(spec, space);
  let perArchitecture: TSweepPreview['perArchitecture'] = null;
  if (spec.method === 'grid') {
    perArchitecture = Object.fromEntries([...gridCounts(space)].map(([arch, n]) => [arch, n * spec.repeats]));
  } else if (spec.method === 'random') {
    const counts: Partial<Record<TArchitecture, number>> = Object.fromEntries(space.architectures.map((a) => [a, 0]));
    for (let i = 0; i < configurations; i++) {
      const arch = randomAssignment(space, spec.seed, i).architecture;
      counts[arch] = (counts[arch] ?? 0) + spec.repeats;
    }
    perArchitecture = counts;
  }
  const e = spec.earlyTermination;
  const maxEpochs = e?.maxEpochs ?? fixedEpochs(space);
  return {
    name: spec.name,
    method: spec.method,
    metric: spec.metric,
    runs,
    configurations,
    repeats: spec.repeats,
    seeds: repeatSeeds(spec.seed, spec.repeats),
    perArchitecture,
    parameters: describeParams(space),
    rungs: e && maxEpochs !== null ? hyperbandRungs({ minEpochs: e.minEpochs, eta: e.eta, maxEpochs, brackets: e.brackets }) : null,
    maxConcurrent: spec.maxConcurrent,
    resourceClass: spec.resourceClass,
  };
}

const toPreview = (checked: TSweepCheck): TPreviewResult => (checked.ok ? { ok: true, preview: previewOf(checked.spec, checked.space) } : checked);

/** What a spec would create, without creating anything (`hz sweep preview`, sweeps.preview). */
export const previewSweep = (input: unknown, options: TExpandOptions = {}): TPreviewResult => toPreview(validateSweep(input, options));

/** previewSweep for a YAML file; issues carry line and column. */
export const previewSweepYaml = (text: string, options: TExpandOptions = {}): TPreviewResult => toPreview(validateSweepYaml(text, options));
