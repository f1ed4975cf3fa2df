import type { TArchitecture } from '@hyperzoo/schemas';

import type { TScoredTrial } from './importance';
import { paramsOf, type TAssignment, type TDimension, type TJson, type TSearchSpace } from './space';

function getPath(config: unknown, path: string): unknown {
  let node = config;
  for (const part of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Whether `whole` holds `part`: equal values, or an object with each of part's keys (a parsed config adds defaults). */
function holds(whole: unknown, part: unknown): boolean {
  if (typeof part !== 'object' || part === null) return whole === part;
  if (Array.isArray(part)) return Array.isArray(whole) && whole.length === part.length && part.every((p, i) => holds(whole[i], p));
  if (typeof whole !== 'object' || whole === null || Array.isArray(whole)) return false;
  return Object.entries(part).every(([k, v]) => holds((whole as Record<string, unknown>)[k], v));
}

function valueIn(dim: TDimension, value: unknown): TJson | undefined {
  if (dim.type === 'categorical') return dim.choices.find((c) => holds(value, c));
  if (dim.type === 'constant') return holds(value, dim.value) ? dim.value : undefined;
  return typeof value === 'number' ? value : undefined;
}

/**
 * A run's configuration read back from its run config: each parameter of its architecture at its
 * path, a categorical value matched to the choice it came from. Null when the run does not fit the
 * space (an architecture or a value the sweep does not have).
 */
export function assignmentOfConfig(space: TSearchSpace, config: { architecture: TArchitecture }): TAssignment | null {
  const { architecture } = config;
  if (!space.architectures.includes(architecture)) return null;
  const values: Record<string, TJson> = {};
  for (const p of paramsOf(space, architecture)) {
    const v = valueIn(p.dim, getPath(config, p.path));
    if (v === undefined) return null;
    values[p.key] = v;
  }
  return { architecture, values };
}

/** Runs of one configuration (its repeats) become one trial, valued at the mean of their finite values. */
export function trialsOfRuns(runs: readonly { assignment: TAssignment; value: number | null }[]): TScoredTrial[] {
  const byConfiguration = new Map<string, { assignment: TAssignment; values: number[] }>();
  for (const r of runs) {
    if (r.value === null || !Number.isFinite(r.value)) continue;
    const key = JSON.stringify([r.assignment.architecture, Object.entries(r.assignment.values).sort(([a], [b]) => a.localeCompare(b))]);
    const entry = byConfiguration.get(key) ?? { assignment: r.assignment, values: [] };
    entry.values.push(r.value);
    byConfiguration.set(key, entry);
  }
  return [...byConfiguration.values()].map((e) => ({ assignment: e.assignment, value: e.values.reduce((a, b) => a + b, 0) / e.values.length }));
}

/** The space of one architecture alone, so its own parameters count as shared in sweepImportance. */
export const spaceOfArchitecture = (space: TSearchSpace, architecture: TArchitecture): TSearchSpace => ({
  architectures: [architecture],
  params: paramsOf(space, architecture).map((p) => ({ ...p, architectures: [architecture] })),
});
