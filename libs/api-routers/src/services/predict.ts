import type { Db } from '@hyperzoo/db';
import { PredictError } from '@hyperzoo/queue';
import type { PredictQueues } from '@hyperzoo/queue';
import { ZDatasetName, ZRunConfig } from '@hyperzoo/schemas';
import type { TPredictImage, TPredictOutput } from '@hyperzoo/schemas';

import { DomainError } from '../errors';

/** The model a run offers for prediction: its final model, else its best checkpoint, else its newest one. */
const KIND_ORDER = ['model', 'best', 'checkpoint'] as const;

/**
 * runs.predict: the API holds no model (it stays tfjs-free); a worker of the run's team loads the
 * run's model artifact and answers through the team's predict queue.
 */
export async function predictRun(
  deps: { db: Db; predictions: PredictQueues; predictTimeoutMs: number },
  input: { runId: string; teamId: string; image: TPredictImage; topK: number },
): Promise<TPredictOutput> {
  const run = await deps.db.run.findUniqueOrThrow({ where: { id: input.runId }, select: { dataset: true, config: true } });
  const config = ZRunConfig.safeParse(run.config);
  const artifacts = await deps.db.artifact.findMany({
    where: { runId: input.runId, kind: { in: [...KIND_ORDER] } },
    select: { kind: true, epoch: true, path: true },
    orderBy: { epoch: { sort: 'desc', nulls: 'first' } },
  });
  const artifact = KIND_ORDER.map((kind) => artifacts.find((a) => a.kind === kind)).find((a) => a !== undefined);
  if (!artifact) throw new DomainError('PRECONDITION_FAILED', `run ${input.runId} has no trained model yet (no model, best or checkpoint artifact)`);
  const kind = KIND_ORDER.find((k) => k === artifact.kind) ?? 'checkpoint';
  try {
    const answer = await deps.predictions.request(
      {
        runId: input.runId,
        teamId: input.teamId,
        artifactKind: kind,
        artifactEpoch: kind === 'checkpoint' ? artifact.epoch : null,
        dataset: ZDatasetName.parse(run.dataset),
        classes: config.success ? config.data.data.classes : null,
        image: input.image,
        topK: input.topK,
      },
      { timeoutMs: deps.predictTimeoutMs },
    );
    if ('error' in answer) {
      // An undecodable image or a topK above the class count is the caller's to fix; a model the worker cannot load is not.
      throw new DomainError(answer.error.code === 'BAD_INPUT' ? 'BAD_REQUEST' : 'PRECONDITION_FAILED', `prediction for run ${input.runId}: ${answer.error.message}`);
    }
    return { runId: input.runId, model: { kind, epoch: artifact.epoch }, predictions: answer.predictions };
  } catch (err) {
    if (!(err instanceof PredictError)) throw err;
    throw new DomainError('PRECONDITION_FAILED', `prediction for run ${input.runId}: ${err.message}`);
  }
}
