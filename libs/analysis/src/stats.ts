/** Mean and spread of one number over a group's runs. */
export interface TStat {
  mean: number | null;
  /** Sample standard deviation (n - 1); null below two values. */
  sd: number | null;
  /** How many runs had a (finite) value. */
  count: number;
}

/** Mean, sample standard deviation and count of the finite values; null and NaN are left out. */
export function describe(values: readonly (number | null)[]): TStat {
  const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const count = xs.length;
  if (count === 0) return { mean: null, sd: null, count };
  const mean = xs.reduce((a, b) => a + b, 0) / count;
  if (count < 2) return { mean, sd: null, count };
  const ss = xs.reduce((a, x) => a + (x - mean) ** 2, 0);
  return { mean, sd: Math.sqrt(ss / (count - 1)), count };
}
