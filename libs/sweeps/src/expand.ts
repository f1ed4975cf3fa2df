import { DEFAULT_GRID_CAP, type TSweepSpec } from '@hyperzoo/schemas';
import type { TRunConfig } from '@hyperzoo/schemas';

import { configInput, parseConfig } from './configs';
import { SweepSpecError, type TPathIssue } from './issues';
import { createRng, repeatSeeds } from './random';
import { sampleRandom } from './sample';
import { cardinality, finiteValues, paramsOf, pathValues, type TAssignment, type TJson, type TSearchSpace } from './space';

export interface TSweepRun {
  /** Position in the sweep (creation and queue order). */
  index: number;
  /** The configuration (TPE's trial) this run repeats. */
  configuration: number;
  repeat: number;
  seed: number;
  assignment: TAssignment;
  /** Run-config path -> value, the sweep's parameters only (for tables and importance). */
  params: Record<string, TJson>;
  config: TRunConfig;
}

export interface TExpandOptions {
  /** Refuse grids with more runs than this (DEFAULT_GRID_CAP). */
  gridCap?: number;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** Configurations of a grid per architecture, counted without listing them. */
export function gridCounts(space: TSearchSpace): Map<string, number> {
  return new Map(space.architectures.map((arch) => [arch, paramsOf(space, arch).reduce((n, p) => n * cardinality(p.dim), 1)]));
}

/** Runs in all; grid size or the (repeat-rounded) maxRuns. */
export function countRuns(spec: TSweepSpec, space: TSearchSpace): { configurations: number; runs: number } {
  const configurations =
    spec.method === 'grid' ? [...gridCounts(space).values()].reduce((a, b) => a + b, 0) : Math.floor((spec.maxRuns ?? 0) / spec.repeats);
  return { configurations, runs: configurations * spec.repeats };
}

/** Why a grid cannot be expanded (over the cap or maxRuns), or nothing. */
export function gridLimitIssues(spec: TSweepSpec, space: TSearchSpace, options: TExpandOptions = {}): TPathIssue[] {
  if (spec.method !== 'grid') return [];
  const cap = options.gridCap ?? DEFAULT_GRID_CAP;
  const { configurations, runs } = countRuns(spec, space);
  const size = `the grid has ${fmt(runs)} runs (${fmt(configurations)} configurations x ${spec.repeats} repeats)`;
  if (runs > cap) return [{ path: ['parameters'], message: `${size}, more than the cap of ${fmt(cap)}` }];
  if (spec.maxRuns !== undefined && runs > spec.maxRuns) return [{ path: ['maxRuns'], message: `${size}, more than maxRuns ${fmt(spec.maxRuns)}` }];
  return [];
}

function* cartesian(lists: readonly (readonly TJson[])[]): Generator<TJson[]> {
  const idx = lists.map(() => 0);
  if (lists.some((l) => l.length === 0)) return;
  for (;;) {
    yield idx.map((i, d) => lists[d]?.[i] ?? null);
    let d = lists.length - 1;
    while (d >= 0 && (idx[d] ?? 0) + 1 >= (lists[d]?.length ?? 0)) idx[d--] = 0;
    if (d < 0) return;
    idx[d] = (idx[d] ?? 0) + 1;
  }
}

/** Every configuration of a grid: architectures in spec order, the last parameter varying fastest. */
export function gridAssignments(space: TSearchSpace): TAssignment[] {
  return space.architectures.flatMap((architecture) => {
    const params = paramsOf(space, architecture);
    const lists = params.map((p) => finiteValues(p.dim) ?? []);
    return [...cartesian(lists)].map((combo) => ({ architecture, values: Object.fromEntries(params.map((p, i) => [p.key, combo[i] ?? null])) }));
  });
}

/** Random configuration i: its own stream of the sweep seed, so runs do not depend on how many are drawn. */
export const randomAssignment = (space: TSearchSpace, seed: number, configuration: number): TAssignment =>
  sampleRandom(space, createRng(seed, 'configuration', configuration));

/** The runs of configuration `configuration`, one per repeat seed. */
export function runsOf(spec: TSweepSpec, space: TSearchSpace, assignment: TAssignment, configuration: number, firstIndex = 0): TSweepRun[] {
  const params = pathValues(space, assignment);
  return repeatSeeds(spec.seed, spec.repeats).map((seed, repeat) => {
    const { config, issues } = parseConfig(configInput(assignment.architecture, spec.dataset, params, seed));
    if (config === null) {
      throw new SweepSpecError(issues.map((i) => ({ path: `architectures.${assignment.architecture}`, message: `run config ${i.path.join('.')}: ${i.message}` })));
    }
    return { index: firstIndex + repeat, configuration, repeat, seed, assignment, params, config };
  });
}

/**
 * All runs of a grid or random sweep, repeats outermost (every configuration's first seed
 * before any second one). TPE proposes its runs as results arrive (see proposeTpe).
 */
export function expandSweep(spec: TSweepSpec, space: TSearchSpace, options: TExpandOptions = {}): TSweepRun[] {
  if (spec.method === 'tpe') throw new Error('tpe sweeps are proposed run by run (proposeTpe), not expanded');
  const limits = gridLimitIssues(spec, space, options);
  if (limits.length > 0) throw new SweepSpecError(limits.map((i) => ({ path: i.path.join('.'), message: i.message })));
  const { configurations } = countRuns(spec, space);
  const assignments = spec.method === 'grid' ? gridAssignments(space) : Array.from({ length: configurations }, (_, i) => randomAssignment(space, spec.seed, i));
  const byConfig = assignments.map((a, c) => runsOf(spec, space, a, c));
  const runs: TSweepRun[] = [];
  for (let repeat = 0; repeat < spec.repeats; repeat++) {
    for (const configRuns of byConfig) {
      const run = configRuns[repeat];
      if (run) runs.push({ ...run, index: runs.length });
    }
  }
  return runs;
}
