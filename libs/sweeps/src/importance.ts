import type { TFanovaFeature, TFanovaOptions, TImportance } from './fanova';
import { fanovaImportance } from './fanova';
import { cardinality, type TAssignment, type TDimension, type TJson, type TSearchSpace } from './space';

export interface TScoredTrial {
  assignment: TAssignment;
  /** The objective (mean over the configuration's finished repeats). */
  value: number;
}

function featureOf(key: string, dim: TDimension, observed: readonly number[]): TFanovaFeature | null {
  if (dim.type === 'constant' || cardinality(dim) < 2) return null;
  if (dim.type === 'categorical') {
    const encoded = dim.choices.map((c) => JSON.stringify(c));
    return {
      key,
      bounds: dim.choices.map(() => [0, 1]),
      encode: (v) => {
        const i = encoded.indexOf(JSON.stringify(v));
        return i < 0 ? null : encoded.map((_, j) => (j === i ? 1 : 0));
      },
    };
  }
  // Optuna has no normal distribution: its bounds are the values seen.
  const [low, high] = dim.type === 'normal' ? [Math.min(...observed), Math.max(...observed)] : [dim.low, dim.high];
  if (!(high > low)) return null;
  return { key, bounds: [[low, high]], encode: (v) => (typeof v === 'number' && v >= low && v <= high ? [v] : null) };
}

/**
 * fANOVA importance of the parameters every trial has (the architecture, when the sweep has
 * several, and the shared parameters). For an architecture's own parameters, pass the trials
 * of that architecture and a space of it alone.
 */
export function sweepImportance(space: TSearchSpace, trials: readonly TScoredTrial[], options: TFanovaOptions = {}): TImportance[] {
  const features: { feature: TFanovaFeature; read: (a: TAssignment) => TJson | undefined }[] = [];
  if (space.architectures.length > 1) {
    const arch = featureOf('architecture', { type: 'categorical', choices: space.architectures, weights: null }, []);
    if (arch) features.push({ feature: arch, read: (a) => a.architecture });
  }
  for (const p of space.params) {
    if (p.architectures.length !== space.architectures.length) continue;
    const observed = trials.map((t) => t.assignment.values[p.key]).filter((v): v is number => typeof v === 'number');
    const feature = featureOf(p.key, p.dim, observed);
    if (feature) features.push({ feature, read: (a) => a.values[p.key] });
  }
  return fanovaImportance(
    features.map((f) => f.feature),
    trials.map((t) => ({ values: features.map((f) => f.read(t.assignment)), value: t.value })),
    options,
  );
}
