import type { TArchitecture } from '@hyperzoo/schemas';

import type { TScoredTrial } from './importance';
import type { TDimension, TJson, TSearchSpace } from './space';

export interface TMarginalGroup {
  /** A value, or a range "low..high" of a binned numeric parameter. */
  label: string;
  value?: TJson;
  low?: number;
  high?: number;
  count: number;
  mean: number;
  std: number;
  /** Best objective in the group, by the sweep's goal. */
  best: number;
}

export interface TMarginal {
  key: string;
  path: string;
  architectures: TArchitecture[];
  groups: TMarginalGroup[];
}

function summarize(label: string, values: readonly number[], maximize: boolean, extra: Partial<TMarginalGroup>): TMarginalGroup {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  return { label, ...extra, count: values.length, mean, std, best: maximize ? Math.max(...values) : Math.min(...values) };
}

const fmt = (x: number) => Number(x.toPrecision(3)).toString();

function groupsOf(dim: TDimension, rows: readonly { v: TJson; value: number }[], maximize: boolean, bins: number): TMarginalGroup[] {
  const few = dim.type === 'constant' || dim.type === 'categorical' || (dim.type !== 'normal' && (dim.type === 'int' || dim.step !== null) && new Set(rows.map((r) => r.v)).size <= 2 * bins);
  if (few) {
    const order = dim.type === 'categorical' ? dim.choices.map((c) => JSON.stringify(c)) : [...new Set(rows.map((r) => JSON.stringify(r.v)))].sort((a, b) => Number(a) - Number(b));
    return order.flatMap((key) => {
      const values = rows.filter((r) => JSON.stringify(r.v) === key).map((r) => r.value);
      return values.length > 0 ? [summarize(key.replace(/^"|"$/g, ''), values, maximize, { value: JSON.parse(key) as TJson })] : [];
    });
  }
  const nums = rows.filter((r): r is { v: number; value: number } => typeof r.v === 'number');
  const log = dim.type === 'float' && dim.log;
  const [low, high] = dim.type === 'normal' ? [Math.min(...nums.map((r) => r.v)), Math.max(...nums.map((r) => r.v))] : [dim.low, dim.high];
  const scale = (x: number) => (log ? Math.log(x) : x);
  const unscale = (x: number) => (log ? Math.exp(x) : x);
  const [a, b] = [scale(low), scale(high)];
  const edges = Array.from({ length: bins + 1 }, (_, i) => unscale(a + ((b - a) * i) / bins));
  return edges.slice(0, -1).flatMap((lo, i) => {
    const hi = edges[i + 1] ?? high;
    const last = i === bins - 1;
    const values = nums.filter((r) => r.v >= lo && (last ? r.v <= hi : r.v < hi)).map((r) => r.value);
    return values.length > 0 ? [summarize(`${fmt(lo)}..${fmt(hi)}`, values, maximize, { low: lo, high: hi })] : [];
  });
}

/** Per parameter: the objective's count, mean, spread and best for each value (or range) it took. */
export function marginalEffects(space: TSearchSpace, trials: readonly TScoredTrial[], goal: 'maximize' | 'minimize', bins = 5): TMarginal[] {
  const maximize = goal === 'maximize';
  const scored = trials.filter((t) => Number.isFinite(t.value));
  const out: TMarginal[] = [];
  if (space.architectures.length > 1) {
    const rows = scored.map((t) => ({ v: t.assignment.architecture as TJson, value: t.value }));
    out.push({ key: 'architecture', path: 'architecture', architectures: space.architectures, groups: groupsOf({ type: 'categorical', choices: space.architectures, weights: null }, rows, maximize, bins) });
  }
  for (const p of space.params) {
    if (p.dim.type === 'constant') continue;
    const rows = scored.flatMap((t) => (p.key in t.assignment.values ? [{ v: t.assignment.values[p.key] ?? null, value: t.value }] : []));
    out.push({ key: p.key, path: p.path, architectures: p.architectures, groups: groupsOf(p.dim, rows, maximize, bins) });
  }
  return out;
}
