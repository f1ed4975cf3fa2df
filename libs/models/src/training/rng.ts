/**
 * A small seeded PRNG (mulberry32) whose whole state is one uint32, so it can be written to a
 * checkpoint and resumed exactly.
 */
export class SeededRandom {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  /** A float in [0, 1). */
  next = (): number => {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  /** A uint32, e.g. to seed something else. */
  nextUint32(): number {
    return Math.floor(this.next() * 4294967296) >>> 0;
  }

  get state(): number {
    return this.s;
  }

  static fromState(state: number): SeededRandom {
    return new SeededRandom(state);
  }
}

/**
 * Runs a synchronous function with Math.random replaced by a seeded generator.
 * tfjs draws the seed of every unseeded random op (initializers, dropout masks) from
 * Math.random; scoping the swap to synchronous code (a model build, one training step)
 * makes those draws reproducible without touching anything else in the process.
 */
export function withSeededMathRandom<T>(rng: SeededRandom, fn: () => T): T {
  const original = Math.random;
  Math.random = rng.next;
  try {
    const result = fn();
    if (result instanceof Promise) throw new Error('withSeededMathRandom needs a synchronous function');
    return result;
  } finally {
    Math.random = original;
  }
}

/** A seed for one epoch's shuffle, derived from the run seed so epochs differ but resumes agree. */
export function deriveEpochSeed(seed: number, epoch: number): number {
  const rng = new SeededRandom((seed ^ Math.imul(epoch, 0x9e3779b1)) >>> 0);
  return rng.nextUint32();
}
