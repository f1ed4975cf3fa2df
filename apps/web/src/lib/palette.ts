/**
 * A distinct colour per series: the first ten from a categorical palette, then hues spread by the
 * golden angle, so 50 runs stay told apart.
 */
const BASE = ['#2563eb', '#ea580c', '#16a34a', '#9333ea', '#dc2626', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];

export function seriesColor(i: number): string {
  return BASE[i] ?? `hsl(${Math.round((i * 137.508) % 360)} 65% 45%)`;
}
