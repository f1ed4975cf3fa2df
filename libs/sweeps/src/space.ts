import type { TArchitecture, TParameterSpec, TSweepParameters, TSweepSpec } from '@hyperzoo/schemas';

import type { TPath } from './issues';

/** A JSON value: what a run-config path can hold. */
export type TJson = string | number | boolean | null | TJson[] | { [key: string]: TJson };

/** One searchable dimension, normalised from a parameter spec. */
export type TDimension =
  | { type: 'constant'; value: TJson }
  | { type: 'categorical'; choices: TJson[]; weights: number[] | null }
  /** step: q_uniform's q (values low, low+q, ... <= high); log: log_uniform. */
  | { type: 'float'; low: number; high: number; log: boolean; step: number | null }
  | { type: 'int'; low: number; high: number }
  | { type: 'normal'; mu: number; sigma: number; low: number | null; high: number | null };

export interface TSpaceParam {
  /** Unique in the space: the path for shared parameters, `path@arch` for an architecture's own. */
  key: string;
  /** Dotted run-config path. */
  path: string;
  architectures: TArchitecture[];
  dim: TDimension;
  /** Where the parameter is in the spec (for issues). */
  source: TPath;
}

export interface TSearchSpace {
  architectures: TArchitecture[];
  params: TSpaceParam[];
}

/** One configuration: an architecture and a value for each of its parameters (by key). */
export interface TAssignment {
  architecture: TArchitecture;
  values: Record<string, TJson>;
}

/** Rounds away float noise of min + k*q (0.30000000000000004 -> 0.3). */
export const roundStep = (x: number): number => Number(x.toPrecision(12));

export function toDimension(p: TParameterSpec): TDimension {
  switch (p.distribution) {
    case 'constant':
      return { type: 'constant', value: p.value as TJson };
    case 'categorical':
      return { type: 'categorical', choices: p.values as TJson[], weights: p.weights ?? null };
    case 'uniform':
      return { type: 'float', low: p.min, high: p.max, log: false, step: null };
    case 'log_uniform':
      return { type: 'float', low: p.min, high: p.max, log: true, step: null };
    case 'q_uniform':
      // As Optuna's FloatDistribution(step=q): high shrinks to the last reachable step.
      return { type: 'float', low: p.min, high: roundStep(p.min + Math.floor((p.max - p.min) / p.q + 1e-9) * p.q), log: false, step: p.q };
    case 'int_uniform':
      return { type: 'int', low: p.min, high: p.max };
    case 'normal':
      return { type: 'normal', mu: p.mu, sigma: p.sigma, low: p.min ?? null, high: p.max ?? null };
  }
}

/** The finite values of a dimension (grid search), or null for a continuous one. */
export function finiteValues(dim: TDimension): TJson[] | null {
  switch (dim.type) {
    case 'constant':
      return [dim.value];
    case 'categorical':
      return dim.choices;
    case 'int':
      return Array.from({ length: dim.high - dim.low + 1 }, (_, i) => dim.low + i);
    case 'float':
      if (dim.step === null) return null;
      return Array.from({ length: stepCount(dim.low, dim.high, dim.step) }, (_, i) => roundStep(dim.low + i * (dim.step ?? 0)));
    case 'normal':
      return null;
  }
}

export const stepCount = (low: number, high: number, step: number): number => Math.round((high - low) / step) + 1;

/** How many values a finite dimension has (without listing them). */
export function cardinality(dim: TDimension): number {
  switch (dim.type) {
    case 'constant':
      return 1;
    case 'categorical':
      return dim.choices.length;
    case 'int':
      return dim.high - dim.low + 1;
    case 'float':
      return dim.step === null ? Infinity : stepCount(dim.low, dim.high, dim.step);
    case 'normal':
      return Infinity;
  }
}

/**
 * The search space of a spec. Shared parameters apply to every architecture of the sweep
 * unless an architecture's block sets the same path (then the block's wins for it).
 */
export function buildSpace(spec: Pick<TSweepSpec, 'architectures' | 'parameters'>): TSearchSpace {
  const architectures = Object.keys(spec.architectures) as TArchitecture[];
  const blockOf = (arch: TArchitecture): TSweepParameters => spec.architectures[arch]?.parameters ?? {};
  const params: TSpaceParam[] = Object.entries(spec.parameters).map(([path, p]) => ({
    key: path,
    path,
    architectures: architectures.filter((arch) => !(path in blockOf(arch))),
    dim: toDimension(p),
    source: ['parameters', path],
  }));
  for (const arch of architectures) {
    for (const [path, p] of Object.entries(blockOf(arch))) {
      params.push({ key: `${path}@${arch}`, path, architectures: [arch], dim: toDimension(p), source: ['architectures', arch, 'parameters', path] });
    }
  }
  return { architectures, params: params.filter((p) => p.architectures.length > 0) };
}

export const paramsOf = (space: TSearchSpace, arch: TArchitecture): TSpaceParam[] =>
  space.params.filter((p) => p.architectures.includes(arch));

/** Path -> value of an assignment, for display and for the run config. */
export function pathValues(space: TSearchSpace, a: TAssignment): Record<string, TJson> {
  const out: Record<string, TJson> = {};
  for (const p of paramsOf(space, a.architecture)) {
    const v = a.values[p.key];
    if (v !== undefined) out[p.path] = v;
  }
  return out;
}

/** Sets a dotted path in a plain object, creating the objects on the way. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}
