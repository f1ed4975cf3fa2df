import type { TRng } from './random';
import { paramsOf, roundStep, stepCount, type TAssignment, type TDimension, type TJson, type TSearchSpace } from './space';

/** One value drawn from a dimension's own distribution (random search, TPE's start-up trials). */
export function sampleDimension(dim: TDimension, rng: TRng): TJson {
  switch (dim.type) {
    case 'constant':
      return dim.value;
    case 'categorical':
      return dim.choices[rng.choice(dim.weights ?? dim.choices.map(() => 1))] ?? null;
    case 'int':
      return rng.int(dim.low, dim.high);
    case 'float':
      if (dim.step !== null) return roundStep(dim.low + rng.int(0, stepCount(dim.low, dim.high, dim.step) - 1) * dim.step);
      if (dim.log) return Math.exp(Math.log(dim.low) + rng.uniform() * (Math.log(dim.high) - Math.log(dim.low)));
      return dim.low + rng.uniform() * (dim.high - dim.low);
    case 'normal': {
      const x = dim.mu + dim.sigma * rng.normal();
      return Math.min(dim.high ?? Infinity, Math.max(dim.low ?? -Infinity, x));
    }
  }
}

/** A random configuration: an architecture (uniformly), then each of its parameters. */
export function sampleRandom(space: TSearchSpace, rng: TRng): TAssignment {
  const architecture = space.architectures[rng.int(0, space.architectures.length - 1)] ?? space.architectures[0];
  if (architecture === undefined) throw new Error('a search space without architectures');
  const values: Record<string, TJson> = {};
  for (const p of paramsOf(space, architecture)) values[p.key] = sampleDimension(p.dim, rng);
  return { architecture, values };
}
