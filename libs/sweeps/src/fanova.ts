import { fitForest, type TRegressionTree } from './forest';

/**
 * fANOVA hyperparameter importance (Hutter et al. 2014) as Optuna's FanovaImportanceEvaluator:
 * a random forest (64 trees, depth 64, bootstrap samples, every feature; ./forest) fitted to the trials,
 * then per tree the share of the variance of its prediction over the search space that each
 * parameter explains on its own; the mean share over trees, normalised to sum to 1.
 * Numbers as raw values (no log), categories one-hot, as Optuna's transform does.
 */

/** One feature group: a numeric column, or the one-hot columns of a categorical parameter. */
export interface TFanovaFeature {
  key: string;
  /** [low, high] of each of its columns. */
  bounds: [number, number][];
  /** Its columns for one trial's value. */
  encode: (value: unknown) => number[] | null;
}

export interface TFanovaOptions {
  seed?: number;
  nTrees?: number;
  maxDepth?: number;
}

export interface TImportance {
  key: string;
  /** Share of the explained variance, summing to 1 over the parameters (0 for all if nothing varies). */
  importance: number;
  /** Mean and spread over the trees of the raw variance fraction. */
  fraction: number;
  std: number;
}

type TBounds = [number, number][];

const volume = (b: TBounds) => b.reduce((v, [lo, hi]) => v * (hi - lo), 1);

/** One fitted tree and what fANOVA needs of it (Optuna's _FanovaTree). */
class FanovaTree {
  private readonly feature: number[];
  private readonly threshold: number[];
  private readonly left: number[];
  private readonly right: number[];
  private readonly value: number[];
  /** Per node: its subspace's mean prediction and volume. */
  private stats: [number, number][] = [];
  private active: boolean[][] = [];
  private midpoints: number[][] = [];
  private sizes: number[][] = [];
  readonly variance: number;

  constructor(
    tree: TRegressionTree,
    private readonly bounds: TBounds,
  ) {
    this.feature = tree.feature;
    this.threshold = tree.threshold;
    this.left = tree.left;
    this.right = tree.right;
    this.value = tree.value;
    this.computeStats(0, bounds);
    this.computeActive(0);
    this.computeMidpoints();
    const leaves = this.feature.flatMap((f, i): [number, number][] => (f < 0 ? [this.stats[i] ?? [0, 0]] : []));
    this.variance = weightedVariance(leaves.map(([v]) => v), leaves.map(([, w]) => w));
  }

  private children(i: number, space: TBounds): [number, TBounds, number, TBounds] {
    const f = this.feature[i] ?? 0;
    const t = this.threshold[i] ?? 0;
    const l = space.map((b, j) => (j === f ? [b[0], t] : b) as [number, number]);
    const r = space.map((b, j) => (j === f ? [t, b[1]] : b) as [number, number]);
    return [this.left[i] ?? -1, l, this.right[i] ?? -1, r];
  }

  private computeStats(i: number, space: TBounds): [number, number] {
    if ((this.feature[i] ?? -1) < 0) return (this.stats[i] = [this.value[i] ?? 0, volume(space)]);
    const [li, ls, ri, rs] = this.children(i, space);
    const [lv, lw] = this.computeStats(li, ls);
    const [rv, rw] = this.computeStats(ri, rs);
    const w = lw + rw;
    return (this.stats[i] = [w > 0 ? (lv * lw + rv * rw) / w : (lv + rv) / 2, w]);
  }

  private computeActive(i: number): boolean[] {
    const act = this.bounds.map(() => false);
    const f = this.feature[i] ?? -1;
    if (f >= 0) {
      act[f] = true;
      for (const c of [this.left[i] ?? -1, this.right[i] ?? -1]) this.computeActive(c).forEach((a, j) => (act[j] ||= a));
    }
    return (this.active[i] = act);
  }

  private computeMidpoints() {
    this.bounds.forEach(([lo, hi], f) => {
      const splits = [...new Set(this.feature.flatMap((g, i) => (g === f ? [this.threshold[i] ?? 0] : [])))].sort((a, b) => a - b);
      const edges = [lo, ...splits, hi];
      this.midpoints[f] = edges.slice(1).map((e, k) => 0.5 * (e + (edges[k] ?? 0)));
      this.sizes[f] = edges.slice(1).map((e, k) => e - (edges[k] ?? 0));
    });
  }

  /** Variance of the prediction averaged over every column but `columns` (Optuna's get_marginal_variance). */
  marginalVariance(columns: readonly number[]): number {
    const values: number[] = [];
    const weights: number[] = [];
    const point: (number | null)[] = this.bounds.map(() => null);
    const visit = (d: number, size: number) => {
      const col = columns[d];
      if (col === undefined) {
        const [v, w] = this.marginalized(point);
        values.push(v);
        weights.push(w * size);
        return;
      }
      (this.midpoints[col] ?? []).forEach((m, k) => {
        point[col] = m;
        visit(d + 1, size * (this.sizes[col]?.[k] ?? 0));
      });
      point[col] = null;
    };
    visit(0, 1);
    return Math.max(0, weightedVariance(values, weights));
  }

  private marginalized(point: readonly (number | null)[]): [number, number] {
    const activeCols = point.map((p) => p !== null);
    const start = this.bounds.map((b, j) => (activeCols[j] ? b : ([0, 1] as [number, number])));
    const stack: [number, TBounds][] = [[0, start]];
    const values: number[] = [];
    const weights: number[] = [];
    while (stack.length > 0) {
      const [i, space] = stack.pop() ?? [0, start];
      const f = this.feature[i] ?? -1;
      if (f >= 0) {
        const x = point[f];
        if (x !== null && x !== undefined) {
          const [li, ls, ri, rs] = this.children(i, space);
          stack.push(x <= (this.threshold[i] ?? 0) ? [li, ls] : [ri, rs]);
          continue;
        }
        if ((this.active[i] ?? []).some((a, j) => a && activeCols[j])) {
          stack.push([this.left[i] ?? -1, space], [this.right[i] ?? -1, space]);
          continue;
        }
      }
      const [v, w] = this.stats[i] ?? [0, 0];
      values.push(v);
      weights.push(w / volume(space));
    }
    const total = weights.reduce((a, b) => a + b, 0);
    return [total > 0 ? values.reduce((s, v, k) => s + v * (weights[k] ?? 0), 0) / total : 0, total];
  }
}

function weightedVariance(values: readonly number[], weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return 0;
  const mean = values.reduce((s, v, i) => s + v * (weights[i] ?? 0), 0) / total;
  return values.reduce((s, v, i) => s + (weights[i] ?? 0) * (v - mean) ** 2, 0) / total;
}

/** fANOVA importance of each feature over trials (rows of raw values, one per feature, and the objective). */
export function fanovaImportance(
  features: readonly TFanovaFeature[],
  trials: readonly { values: readonly unknown[]; value: number }[],
  options: TFanovaOptions = {},
): TImportance[] {
  const rows: number[][] = [];
  const y: number[] = [];
  for (const t of trials) {
    const encoded = features.map((f, i) => f.encode(t.values[i]));
    if (!Number.isFinite(t.value) || encoded.some((e) => e === null)) continue;
    rows.push(encoded.flatMap((e) => e ?? []));
    y.push(t.value);
  }
  const zero = () => features.map((f) => ({ key: f.key, importance: 0, fraction: 0, std: 0 }));
  if (rows.length <= 1 || features.length === 0) return zero();

  const bounds: TBounds = features.flatMap((f) => f.bounds);
  const groups: number[][] = [];
  let next = 0;
  for (const f of features) groups.push(f.bounds.map(() => next++));

  const trees = fitForest(rows, y, { nTrees: options.nTrees ?? 64, maxDepth: options.maxDepth ?? 64, seed: options.seed ?? 0 })
    .map((tree) => new FanovaTree(tree, bounds))
    .filter((t) => t.variance > 0);
  if (trees.length === 0) return zero();

  const raw = groups.map((cols) => {
    const fractions = trees.map((tree) => tree.marginalVariance(cols) / tree.variance);
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    const std = Math.sqrt(fractions.reduce((s, f) => s + (f - mean) ** 2, 0) / fractions.length);
    return { mean, std };
  });
  const total = raw.reduce((s, r) => s + r.mean, 0);
  return features
    .map((f, i) => ({ key: f.key, importance: total > 0 ? (raw[i]?.mean ?? 0) / total : 0, fraction: raw[i]?.mean ?? 0, std: raw[i]?.std ?? 0 }))
    .sort((a, b) => b.importance - a.importance);
}
