import { ZSweepSpec } from '@hyperzoo/schemas';
import type { TArchitecture, TSweepSpec } from '@hyperzoo/schemas';
import { buildSpace, countRuns, gridAssignments, proposeTpe, randomAssignment, runsOf } from '@hyperzoo/sweeps';
import type { TAssignment, TJson, TSearchSpace, TTrial, TSweepRun } from '@hyperzoo/sweeps';

/**
 * Which run sits at each position of a sweep's plan. Grid and random follow expandSweep's
 * order (repeats outermost) for the spec's own runs; runs added later continue it (grid: more
 * repeats with new seeds; random: new configurations). TPE goes configuration by
 * configuration, each repeat right after the other, and proposes a configuration when its
 * first repeat is due.
 */
export interface TSweepPlan {
  spec: TSweepSpec;
  space: TSearchSpace;
  /** Runs of the spec itself (without addRuns). */
  initialRuns: number;
  configurationAt(position: number): { configuration: number; repeat: number };
  /** Grid and random: the configuration's assignment; null for TPE (proposed from results). */
  fixedAssignment(configuration: number): TAssignment | null;
}

/** The stored spec (validated at creation, defaults filled in) parsed again. */
export const planOf = (storedSpec: unknown): TSweepPlan => planFromSpec(ZSweepSpec.parse(storedSpec));

export function planFromSpec(spec: TSweepSpec): TSweepPlan {
  const space = buildSpace(spec);
  const R = spec.repeats;
  const { configurations: C, runs: initialRuns } = countRuns(spec, space);
  const grid = spec.method === 'grid' ? gridAssignments(space) : [];
  return {
    spec,
    space,
    initialRuns,
    configurationAt(position) {
      if (spec.method === 'tpe') return { configuration: Math.floor(position / R), repeat: position % R };
      if (position < initialRuns) return { configuration: position % C, repeat: Math.floor(position / C) };
      const extra = position - initialRuns;
      if (spec.method === 'grid') return { configuration: extra % C, repeat: R + Math.floor(extra / C) };
      return { configuration: C + Math.floor(extra / R), repeat: extra % R };
    },
    fixedAssignment(configuration) {
      if (spec.method === 'grid') return grid[configuration] ?? null;
      if (spec.method === 'random') return randomAssignment(space, spec.seed, configuration);
      return null;
    },
  };
}

/** The run of `assignment` at `repeat` (repeats past the spec's get the next seeds of the same stream). */
export function runAt(plan: TSweepPlan, assignment: TAssignment, configuration: number, repeat: number): TSweepRun {
  const spec = { ...plan.spec, repeats: Math.max(plan.spec.repeats, repeat + 1) };
  const run = runsOf(spec, plan.space, assignment, configuration)[repeat];
  if (!run) throw new Error(`no repeat ${repeat} of configuration ${configuration}`);
  return run;
}

/** A stored run's assignment back from its architecture and params (path -> value; one key per path within an architecture). */
export function assignmentOf(space: TSearchSpace, architecture: string, params: unknown): TAssignment {
  const arch = architecture as TArchitecture;
  const byPath = (params ?? {}) as Record<string, TJson>;
  const values: Record<string, TJson> = {};
  for (const p of space.params) {
    if (p.architectures.includes(arch) && p.path in byPath) values[p.key] = byPath[p.path] ?? null;
  }
  return { architecture: arch, values };
}

export interface TStoredTrialRun {
  status: string;
  configuration: number | null;
  architecture: string;
  params: unknown;
  /** Best value of the sweep metric (null: none yet). */
  best: number | null;
  rungValues: number[];
}

/**
 * Trials (configurations) from their runs. A trial's value is the mean over its succeeded
 * repeats of each run's best value; a trial with a run still going is running (constant liar);
 * one whose runs were all pruned ranks by its last rung value.
 */
export function trialsOf(space: TSearchSpace, runs: readonly TStoredTrialRun[]): TTrial[] {
  const byConfig = new Map<number, TStoredTrialRun[]>();
  for (const r of runs) {
    if (r.configuration === null) continue;
    byConfig.set(r.configuration, [...(byConfig.get(r.configuration) ?? []), r]);
  }
  return [...byConfig.entries()]
    .sort(([a], [b]) => a - b)
    .map(([number, group]): TTrial => {
      const first = group[0] as TStoredTrialRun;
      const assignment = assignmentOf(space, first.architecture, first.params);
      if (group.some((r) => r.status === 'queued' || r.status === 'running')) return { number, assignment, state: 'running', value: null };
      const done = group.filter((r) => r.status === 'succeeded' && r.best !== null).map((r) => r.best as number);
      if (done.length > 0) return { number, assignment, state: 'complete', value: done.reduce((a, b) => a + b, 0) / done.length };
      const pruned = group.find((r) => r.status === 'pruned');
      if (pruned) {
        const value = pruned.rungValues.at(-1);
        return { number, assignment, state: 'pruned', value: value !== undefined && Number.isFinite(value) ? value : null, step: pruned.rungValues.length };
      }
      return { number, assignment, state: 'complete', value: null };
    });
}

/** The next TPE configuration given every trial so far. */
export function proposeNext(plan: TSweepPlan, trials: readonly TTrial[], configuration: number): TAssignment {
  const { spec } = plan;
  return proposeTpe(plan.space, trials, {
    goal: spec.metric.goal,
    seed: spec.seed,
    number: configuration,
    startupTrials: spec.tpe?.startupTrials,
    eiCandidates: spec.tpe?.eiCandidates,
  });
}
