import { createRng } from './random';

/**
 * A regression forest grown as scikit-learn's RandomForestRegressor grows it with Optuna's fANOVA
 * settings: each tree on a bootstrap sample, every column tried at each split, the split that
 * lowers the squared error most (at the midpoint between two neighbouring values), down to pure
 * leaves or single samples. A node scans its samples in each column's order with running sums, so
 * a tree costs O(columns · n) per level; ml-cart, used before, re-split the samples for every
 * candidate threshold (O(n²) per column and node) and took seconds for 500 trials.
 */

/** One tree in arrays, as sklearn keeps it: feature -1 marks a leaf; x <= threshold goes left. */
export interface TRegressionTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  /** Mean of the node's samples. */
  value: number[];
}

interface TForestOptions {
  nTrees: number;
  maxDepth: number;
  seed: number;
}

/** sklearn's FEATURE_THRESHOLD: values closer than this are not split apart. */
const FEATURE_THRESHOLD = 1e-7;

/**
 * Grows one tree on the samples `rows` (row indices; a bootstrap sample repeats some). The samples
 * are sorted per column once; a node is a range of those orders, and a split partitions the range
 * in place keeping each column's order, so no node sorts or allocates.
 */
function growTree(columns: readonly Float64Array[], y: Float64Array, rows: Int32Array, maxDepth: number): TRegressionTree {
  const tree: TRegressionTree = { feature: [], threshold: [], left: [], right: [], value: [] };
  const byColumn = columns.map((x) => rows.slice().sort((a, b) => (x[a] ?? 0) - (x[b] ?? 0)));
  const goesLeft = new Uint8Array(y.length);
  const scratch = new Int32Array(rows.length);
  const grow = (start: number, end: number, depth: number): number => {
    const node = tree.feature.length;
    const m = end - start;
    const samples = byColumn[0] as Int32Array;
    let sum = 0;
    let sumSq = 0;
    for (let k = start; k < end; k++) {
      const v = y[samples[k] ?? 0] ?? 0;
      sum += v;
      sumSq += v * v;
    }
    tree.feature.push(-1);
    tree.threshold.push(0);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(sum / m);
    if (depth >= maxDepth || m < 2 || sumSq / m - (sum / m) ** 2 <= Number.EPSILON) return node;

    // The best split maximises sum_l^2/n_l + sum_r^2/n_r (the squared error left, up to a constant).
    let bestScore = -Infinity;
    let bestColumn = -1;
    let bestThreshold = 0;
    for (let c = 0; c < columns.length; c++) {
      const x = columns[c] as Float64Array;
      const sorted = byColumn[c] as Int32Array;
      let leftSum = 0;
      for (let k = 1; k < m; k++) {
        const prev = sorted[start + k - 1] ?? 0;
        leftSum += y[prev] ?? 0;
        const lo = x[prev] ?? 0;
        const hi = x[sorted[start + k] ?? 0] ?? 0;
        if (hi <= lo + FEATURE_THRESHOLD) continue;
        const score = (leftSum * leftSum) / k + ((sum - leftSum) * (sum - leftSum)) / (m - k);
        if (score > bestScore) {
          const mid = lo / 2 + hi / 2;
          bestScore = score;
          bestColumn = c;
          bestThreshold = mid >= hi ? lo : mid;
        }
      }
    }
    if (bestColumn < 0) return node;

    const x = columns[bestColumn] as Float64Array;
    let nLeft = 0;
    for (let k = start; k < end; k++) {
      const i = samples[k] ?? 0;
      goesLeft[i] = (x[i] ?? 0) <= bestThreshold ? 1 : 0;
      nLeft += goesLeft[i] ?? 0;
    }
    for (const sorted of byColumn) {
      let l = start;
      let r = 0;
      for (let k = start; k < end; k++) {
        const i = sorted[k] ?? 0;
        if (goesLeft[i] === 1) sorted[l++] = i;
        else scratch[r++] = i;
      }
      sorted.set(scratch.subarray(0, r), l);
    }
    tree.feature[node] = bestColumn;
    tree.threshold[node] = bestThreshold;
    tree.left[node] = grow(start, start + nLeft, depth + 1);
    tree.right[node] = grow(start + nLeft, end, depth + 1);
    return node;
  };
  grow(0, rows.length, 0);
  return tree;
}

/** A forest on `data` (one row of column values per sample) and targets `y`, the same for the same seed. */
export function fitForest(data: readonly (readonly number[])[], y: readonly number[], options: TForestOptions): TRegressionTree[] {
  const n = data.length;
  const width = data[0]?.length ?? 0;
  const columns = Array.from({ length: width }, (_, c) => Float64Array.from(data, (row) => row[c] ?? 0));
  const target = Float64Array.from(y);
  return Array.from({ length: options.nTrees }, (_, t) => {
    const rng = createRng('fanova-forest', options.seed, t);
    const bootstrap = Int32Array.from({ length: n }, () => rng.int(0, n - 1));
    return growTree(columns, target, bootstrap, options.maxDepth);
  });
}
