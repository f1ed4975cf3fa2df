import type { TSearchSpace } from '@hyperzoo/sweeps';

/** Standard test functions for black-box optimisers (minimised), as in Optuna's and HPOBench's benchmarks. */
export interface TTestFunction {
  name: string;
  bounds: [number, number][];
  /** Known global minimum. */
  optimum: number;
  f: (x: readonly number[]) => number;
}

const at = (x: readonly number[], i: number) => x[i] ?? NaN;

export const BRANIN: TTestFunction = {
  name: 'branin',
  bounds: [
    [-5, 10],
    [0, 15],
  ],
  optimum: 0.397887,
  f: (x) => {
    const [x1, x2] = [at(x, 0), at(x, 1)];
    const b = 5.1 / (4 * Math.PI ** 2);
    const c = 5 / Math.PI;
    return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x1) + 10;
  },
};

const H6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H6_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => v * 1e-4));
const H6_ALPHA = [1, 1.2, 3, 3.2];

export const HARTMANN6: TTestFunction = {
  name: 'hartmann6',
  bounds: Array.from({ length: 6 }, () => [0, 1] as [number, number]),
  optimum: -3.32237,
  f: (x) =>
    -H6_ALPHA.reduce((sum, alpha, i) => {
      const inner = (H6_A[i] ?? []).reduce((s, a, j) => s + a * (at(x, j) - (H6_P[i]?.[j] ?? 0)) ** 2, 0);
      return sum + alpha * Math.exp(-inner);
    }, 0),
};

export const FUNCTIONS = [BRANIN, HARTMANN6];

/** The function's box as a sweep search space (one architecture; parameters x0, x1, ...). */
export const spaceOf = (fn: TTestFunction): TSearchSpace => ({
  architectures: ['mlp'],
  params: fn.bounds.map(([low, high], i) => ({ key: `x${i}`, path: `x${i}`, architectures: ['mlp'], dim: { type: 'float', low, high, log: false, step: null }, source: [] })),
});

export const pointOf = (fn: TTestFunction, values: Record<string, unknown>): number[] => fn.bounds.map((_, i) => Number(values[`x${i}`]));

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};
