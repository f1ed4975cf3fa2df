import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

import { RESOURCE_CLASSES } from '@hyperzoo/schemas';
import type { TResourceClass } from '@hyperzoo/schemas';

import { DEFAULT_TRAIN_JOB_OPTIONS, JOB_NAMES, trainQueueName } from './constants';
import { ZTrainJob } from './jobs';
import type { TTrainJob } from './jobs';

export interface TrainQueues {
  enqueue(job: TTrainJob, resourceClass: TResourceClass): Promise<void>;
  /** Removes a waiting/delayed job; returns false when it is active or gone. */
  remove(runId: string, resourceClass: TResourceClass): Promise<boolean>;
  /** Whether BullMQ still holds a job for this run (waiting, active, delayed...). */
  has(runId: string, resourceClass: TResourceClass): Promise<boolean>;
  close(): Promise<void>;
}

export function createTrainQueues(connection: Redis, prefix = ''): TrainQueues {
  const queues = new Map(
    RESOURCE_CLASSES.map((rc) => [rc, new Queue(trainQueueName(rc, prefix), { connection, defaultJobOptions: DEFAULT_TRAIN_JOB_OPTIONS })]),
  );
  const get = (rc: TResourceClass) => {
    const q = queues.get(rc);
    if (!q) throw new Error(`unknown resource class ${rc}`);
    return q;
  };
  return {
    async enqueue(job, resourceClass) {
      const queue = get(resourceClass);
      // A finished job with this id would make add() a no-op; the DB says the run is queued, so clear it.
      const old = await queue.getJob(job.runId);
      if (old && ['completed', 'failed'].includes(await old.getState())) await old.remove();
      // jobId = run id: adding a run that still has a live job is a no-op, which makes re-enqueueing safe.
      await queue.add(JOB_NAMES.train, ZTrainJob.parse(job), { jobId: job.runId });
    },
    async remove(runId, resourceClass) {
      const job = await get(resourceClass).getJob(runId);
      if (!job) return false;
      const state = await job.getState();
      if (state === 'active') return false;
      await job.remove();
      return true;
    },
    async has(runId, resourceClass) {
      const job = await get(resourceClass).getJob(runId);
      if (!job) return false;
      const state = await job.getState();
      return state !== 'completed' && state !== 'failed' && state !== 'unknown';
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
