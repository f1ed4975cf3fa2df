/**
 * fANOVA importance of ours against Optuna's FanovaImportanceEvaluator on the same trials:
 * 200 random configurations of the issue's example space scored by a known function
 * (learning rate matters most, then activation, dropout a little, batch size and patience not).
 *   npx tsx bench/sweeps/importance.ts [--trials 200] [--seeds 3] [--python /tmp/hz-optuna/bin/python]
 * Prints our importances per seed and the wall time of each sweepImportance call (ms).
 * With --python, runs bench/sweeps/optuna_importance.py on the same trials and prints both.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { randomAssignment, sweepImportance, validateSweepYaml, type TScoredTrial } from '@hyperzoo/sweeps';

const { values: args } = parseArgs({ options: { trials: { type: 'string', default: '200' }, python: { type: 'string' }, seeds: { type: 'string', default: '3' } } });
const checked = validateSweepYaml(readFileSync(new URL('../../examples/sweeps/lenet-vs-mlp-activations.yaml', import.meta.url), 'utf8'));
if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
// One architecture, so both tools see the same parameters (Optuna has no conditional fANOVA).
const space = { ...checked.space, architectures: ['lenet5' as const] };
space.params = space.params.map((p) => ({ ...p, architectures: ['lenet5'] }));

const objective = (v: Record<string, unknown>) =>
  0.9 - 0.04 * (Math.log10(Number(v['optimizer.learningRate'])) + 2.5) ** 2 + (v.activation === 'relu' ? 0.03 : 0) - 0.02 * Number(v.dropout);
const trials: TScoredTrial[] = Array.from({ length: Number(args.trials) }, (_, i) => {
  const assignment = randomAssignment(space, 11, i);
  return { assignment, value: objective(assignment.values) };
});

const seeds = Array.from({ length: Number(args.seeds) }, (_, s) => s);
const ms: number[] = [];
const ours = seeds.map((seed) => {
  const started = performance.now();
  const ranking = sweepImportance(space, trials, { seed });
  ms.push(Math.round(performance.now() - started));
  return Object.fromEntries(ranking.map((i) => [i.key, Number(i.importance.toFixed(4))]));
});
const result: Record<string, unknown> = { bench: 'fanova-importance', trials: trials.length, ours, ms };
if (args.python) {
  const script = fileURLToPath(new URL('./optuna_importance.py', import.meta.url));
  const payload = JSON.stringify({ seeds, trials: trials.map((t) => ({ params: t.assignment.values, value: t.value })) });
  result.optuna = JSON.parse(execFileSync(args.python, [script], { input: payload, encoding: 'utf8' }));
}
console.log(JSON.stringify(result, null, 2));
