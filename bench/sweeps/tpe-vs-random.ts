/**
 * TPE against random search on Branin and Hartmann-6, the way Optuna's samplers are judged:
 * the best value found within the same budget, over 30 seeds; prints JSON with the medians.
 *   npx tsx bench/sweeps/tpe-vs-random.ts [--trials 100] [--seeds 30]
 * Optuna on the same functions and budget: bench/sweeps/optuna_tpe.py.
 */
import { parseArgs } from 'node:util';

import { proposeTpe, randomAssignment, type TTrial } from '@hyperzoo/sweeps';

import { FUNCTIONS, median, pointOf, spaceOf, type TTestFunction } from './functions';

const { values: args } = parseArgs({ options: { trials: { type: 'string', default: '100' }, seeds: { type: 'string', default: '30' } } });
const budget = Number(args.trials);
const seeds = Array.from({ length: Number(args.seeds) }, (_, i) => i);

function bestOf(fn: TTestFunction, seed: number, sampler: 'tpe' | 'random'): number {
  const space = spaceOf(fn);
  const trials: TTrial[] = [];
  let best = Infinity;
  for (let number = 0; number < budget; number++) {
    const assignment = sampler === 'tpe' ? proposeTpe(space, trials, { goal: 'minimize', seed, number }) : randomAssignment(space, seed, number);
    const value = fn.f(pointOf(fn, assignment.values));
    trials.push({ number, assignment, state: 'complete', value });
    best = Math.min(best, value);
  }
  return best;
}

const results = FUNCTIONS.map((fn) => {
  const started = performance.now();
  const tpe = seeds.map((s) => bestOf(fn, s, 'tpe'));
  const random = seeds.map((s) => bestOf(fn, s, 'random'));
  return {
    function: fn.name,
    optimum: fn.optimum,
    trials: budget,
    seeds: seeds.length,
    medianBest: { tpe: median(tpe), random: median(random) },
    tpeBetterOnSeeds: tpe.filter((v, i) => v < (random[i] ?? Infinity)).length,
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  };
});
console.log(JSON.stringify({ bench: 'tpe-vs-random', implementation: '@hyperzoo/sweeps', results }, null, 2));
