import type { DbClient } from '@hyperzoo/db';
import type { TRunStatus, TSweepSpecInput } from '@hyperzoo/schemas';
import { expandSweep, validateSweep } from '@hyperzoo/sweeps';

/** A grid over architecture, dropout and activation whose recorded curves make dropout drive overfitting. */
const OVERFIT_SWEEP: TSweepSpecInput = {
  name: 'dropout-overfits',
  architectures: ['mlp', 'lenet5'],
  method: 'grid',
  metric: { name: 'val_accuracy', goal: 'maximize' },
  parameters: { dropout: { values: [0, 0.5] }, activation: { values: ['relu', 'sigmoid'] }, epochs: { value: 6 } },
  repeats: 2,
};

const PARAMS = { mlp: 266_610, lenet5: 61_706 } as const;

/**
 * Per epoch (6): the training loss falls as 1/epoch. Without dropout val_loss turns up after epoch 3
 * (onset 3, gap 0.27 at best); with dropout 0.5 it follows the training loss (no onset, gap 0.05).
 * val_accuracy peaks at the best epoch: 0.90 for lenet5, 0.85 for mlp, 0.01 more with relu.
 */
function curveOf(architecture: 'mlp' | 'lenet5', dropout: number, relu: boolean, repeat: number) {
  const noise = repeat * 0.001;
  const peak = (architecture === 'lenet5' ? 0.9 : 0.85) + (relu ? 0.01 : 0) + noise;
  return [1, 2, 3, 4, 5, 6].map((epoch) => {
    const loss = 1 / epoch;
    const valLoss = dropout === 0 ? [1.0, 0.7, 0.6, 0.7, 0.8, 0.9][epoch - 1] ?? 1 : loss + 0.05 + noise;
    const best = dropout === 0 ? 3 : 6;
    return { epoch, loss, accuracy: 1 - loss / 2, valLoss, valAccuracy: peak - 0.02 * Math.abs(epoch - best), durationMs: 1000 };
  });
}

/** The sweep row and its runs with recorded epochs, as the scheduler and the workers would leave them. */
export async function seedOverfitSweep(db: DbClient, projectId: string, options: { queued?: number } = {}) {
  const checked = validateSweep(OVERFIT_SWEEP);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  const { spec } = checked;
  const runs = expandSweep(spec, checked.space);
  const sweep = await db.sweep.create({
    data: {
      projectId,
      name: spec.name,
      method: spec.method,
      status: options.queued ? 'running' : 'finished',
      spec,
      seed: spec.seed,
      metricName: spec.metric.name,
      metricGoal: spec.metric.goal,
      maxRuns: runs.length,
      maxConcurrent: spec.maxConcurrent,
    },
    select: { id: true },
  });
  const ids: string[] = [];
  for (const [i, r] of runs.entries()) {
    const status: TRunStatus = i < (options.queued ?? 0) ? 'queued' : 'succeeded';
    const { architecture } = r.config;
    if (architecture !== 'mlp' && architecture !== 'lenet5') throw new Error(`unexpected ${architecture}`);
    const run = await db.run.create({
      data: {
        projectId,
        sweepId: sweep.id,
        name: `${sweep.id.slice(0, 8)}-${i}`,
        status,
        config: r.config,
        architecture,
        dataset: r.config.data.dataset,
        paramCount: PARAMS[architecture],
        sweepPosition: i,
        configuration: r.configuration,
        repeat: r.repeat,
        params: r.params,
      },
      select: { id: true },
    });
    if (status === 'succeeded') {
      const dropout = r.config.dropout ?? 0;
      await db.epochMetric.createMany({ data: curveOf(architecture, dropout, r.params.activation === 'relu', r.repeat).map((e) => ({ runId: run.id, ...e })) });
    }
    ids.push(run.id);
  }
  return { sweepId: sweep.id, runIds: ids, runs };
}
