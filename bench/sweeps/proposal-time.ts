/**
 * TPE proposal time with 500 finished trials (the issue's example space: two architectures,
 * six searched parameters, one of them log-scaled). Prints JSON: median and max ms per proposal.
 *   npx tsx bench/sweeps/proposal-time.ts [--finished 500] [--proposals 20]
 * Optuna's time on the same space: bench/sweeps/optuna_tpe.py (proposalSecondsAt500).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { proposeTpe, randomAssignment, validateSweepYaml, type TTrial } from '@hyperzoo/sweeps';

import { median } from './functions';

const { values: args } = parseArgs({ options: { finished: { type: 'string', default: '500' }, proposals: { type: 'string', default: '20' } } });
const checked = validateSweepYaml(readFileSync(new URL('../../examples/sweeps/lenet-vs-mlp-activations.yaml', import.meta.url), 'utf8'));
if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
const { spec, space } = checked;

const finished = Number(args.finished);
const trials: TTrial[] = Array.from({ length: finished }, (_, number) => ({
  number,
  assignment: randomAssignment(space, 1, number),
  state: 'complete',
  value: 0.7 + 0.2 * ((number * 0.618034) % 1),
}));
// Four runs in flight, as with maxConcurrent 4 (constant liar).
for (let i = 0; i < 4; i++) trials.push({ number: finished + i, assignment: randomAssignment(space, 2, i), state: 'running', value: null });

proposeTpe(space, trials, { goal: spec.metric.goal, seed: 0, number: trials.length }); // warm-up
const ms = Array.from({ length: Number(args.proposals) }, (_, k) => {
  const started = performance.now();
  proposeTpe(space, trials, { goal: spec.metric.goal, seed: 0, number: trials.length + k });
  return performance.now() - started;
});
console.log(JSON.stringify({ bench: 'tpe-proposal-time', finishedTrials: finished, runningTrials: 4, proposals: ms.length, medianMs: Number(median(ms).toFixed(2)), maxMs: Number(Math.max(...ms).toFixed(2)) }));
