import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A seeded stream of random numbers; the same seed path gives the same stream on every machine. */
export interface TRng {
  /** [0, 1) */
  uniform(): number;
  /** An integer in [from, to]. */
  int(from: number, to: number): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** An index drawn with the given non-negative weights. */
  choice(weights: readonly number[]): number;
}

/** 32-bit mix (murmur3's finalizer) so neighbouring seeds give unrelated streams. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

function hashPath(parts: readonly (number | string)[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    const text = String(part);
    for (let i = 0; i < text.length; i++) h = (mix(h ^ text.charCodeAt(i)) + 0x6b43a9b5) | 0;
    h = mix(h ^ 0xff);
  }
  return h;
}

/** A stream for a path of seeds, e.g. (sweep seed, 'random', configuration index). */
export function createRng(...seedPath: (number | string)[]): TRng {
  const gen = xoroshiro128plus(hashPath(seedPath));
  const uniform = () => uniformFloat64(gen);
  return {
    uniform,
    int: (from, to) => uniformInt(gen, from, to),
    normal: () => {
      const u = 1 - uniform();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
    },
    choice: (weights) => {
      const total = weights.reduce((a, b) => a + b, 0);
      let r = uniform() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i] ?? 0;
        if (r < 0) return i;
      }
      // Rounding left r at ~0: the last positive weight.
      for (let i = weights.length - 1; i >= 0; i--) if ((weights[i] ?? 0) > 0) return i;
      return 0;
    },
  };
}

/** Run seeds for repeats 0..n-1: fixed by the sweep seed, the same for every configuration (paired comparisons). */
export function repeatSeeds(sweepSeed: number, repeats: number): number[] {
  const rng = createRng(sweepSeed, 'repeat-seeds');
  const seeds: number[] = [];
  while (seeds.length < repeats) {
    const s = rng.int(0, 2 ** 31 - 1);
    if (!seeds.includes(s)) seeds.push(s);
  }
  return seeds;
}
