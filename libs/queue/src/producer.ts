import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

import type { TResourceClass } from '@hyperzoo/schemas';

import { DEFAULT_TRAIN_JOB_OPTIONS, JOB_NAMES, trainQueueName } from './constants';
import { ZTrainJob } from './jobs';
import type { TTrainJob } from './jobs';

/** Where a run's job lives: its team's queue for its resource class. */
interface TrainTarget {
  teamId: string;
  resourceClass: TResourceClass;
}

export interface TrainQueues {
  enqueue(job: TTrainJob, resourceClass: TResourceClass): Promise<void>;
  /** Jobs of runs that never had one (a sweep's new runs): one round trip for all. */
  enqueueNew(jobs: readonly TTrainJob[], target: TrainTarget): Promise<void>;
  /** Removes a waiting/delayed job; returns false when it is active or gone. */
  remove(runId: string, target: TrainTarget): Promise<boolean>;
  /** Whether BullMQ still holds a job for this run (waiting, active, delayed...). */
  has(runId: string, target: TrainTarget): Promise<boolean>;
  close(): Promise<void>;
}

/** Which team's queues serve a team's jobs: its own, or the platform pool's team when it opted in. */
export type TQueueRoute = (teamId: string) => Promise<string>;
export const ownQueues: TQueueRoute = (teamId) => Promise.resolve(teamId);

/**
 * Queues are made on first use: one per serving team and resource class, so a worker only sees
 * the jobs of the teams it serves. `route` is asked on every call, so a team that changes pools
 * sends its next job to the new one.
 */
export function createTrainQueues(connection: Redis, prefix = '', route: TQueueRoute = ownQueues): TrainQueues {
  const queues = new Map<string, Queue>();
  const get = async ({ teamId, resourceClass }: TrainTarget) => {
    const name = trainQueueName(await route(teamId), resourceClass, prefix);
    let q = queues.get(name);
    if (!q) {
      q = new Queue(name, { connection, defaultJobOptions: DEFAULT_TRAIN_JOB_OPTIONS });
      queues.set(name, q);
    }
    return q;
  };
  return {
    async enqueue(job, resourceClass) {
      const queue = await get({ teamId: job.teamId, resourceClass });
      // A finished job with this id would make add() a no-op; the DB says the run is queued, so clear it.
      const old = await queue.getJob(job.runId);
      if (old && ['completed', 'failed'].includes(await old.getState())) await old.remove();
      // jobId = run id: adding a run that still has a live job is a no-op, which makes re-enqueueing safe.
      await queue.add(JOB_NAMES.train, ZTrainJob.parse(job), { jobId: job.runId });
    },
    async enqueueNew(jobs, target) {
      if (jobs.length === 0) return;
      await (await get(target)).addBulk(jobs.map((job) => ({ name: JOB_NAMES.train, data: ZTrainJob.parse(job), opts: { jobId: job.runId } })));
    },
    async remove(runId, target) {
      const job = await (await get(target)).getJob(runId);
      if (!job) return false;
      const state = await job.getState();
      if (state === 'active') return false;
      await job.remove();
      return true;
    },
    async has(runId, target) {
      const job = await (await get(target)).getJob(runId);
      if (!job) return false;
      const state = await job.getState();
      return state !== 'completed' && state !== 'failed' && state !== 'unknown';
    },
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
