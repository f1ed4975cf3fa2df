import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';

import { DEFAULT_PREDICT_JOB_OPTIONS, JOB_NAMES, predictQueueName } from './constants';
import { ZPredictJob, ZPredictJobResult } from './jobs';
import { ownQueues } from './producer';
import type { TQueueRoute } from './producer';
import type { TPredictJob, TPredictJobResult } from './jobs';

/** Why a prediction got no answer: no worker serves the team, none answered in time, or the worker failed it. */
export class PredictError extends Error {
  override name = 'PredictError';
  constructor(
    readonly reason: 'no-worker' | 'timeout' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

export interface PredictQueues {
  /** Enqueues a prediction on the team's predict queue and waits for a worker's answer. */
  request(job: TPredictJob, opts: { timeoutMs: number }): Promise<TPredictJobResult>;
  close(): Promise<void>;
}

/** One queue per serving team (see TQueueRoute), and one QueueEvents listener on its own connection (it blocks). */
export function createPredictQueues(connection: Redis, prefix = '', route: TQueueRoute = ownQueues): PredictQueues {
  const queues = new Map<string, Queue>();
  const listeners = new Map<string, Promise<{ events: QueueEvents; connection: Redis }>>();
  const queueOf = (teamId: string) => {
    let queue = queues.get(teamId);
    if (!queue) queues.set(teamId, (queue = new Queue(predictQueueName(teamId, prefix), { connection, defaultJobOptions: DEFAULT_PREDICT_JOB_OPTIONS })));
    return queue;
  };
  const eventsOf = (teamId: string) => {
    let listener = listeners.get(teamId);
    if (!listener) {
      listener = (async () => {
        const own = connection.duplicate({ maxRetriesPerRequest: null, enableOfflineQueue: true });
        own.on('error', () => undefined);
        const events = new QueueEvents(predictQueueName(teamId, prefix), { connection: own });
        // Listening before the job is added, so its completion cannot be missed.
        await events.waitUntilReady();
        return { events, connection: own };
      })();
      listener.catch(() => listeners.delete(teamId));
      listeners.set(teamId, listener);
    }
    return listener;
  };
  return {
    async request(job, { timeoutMs }) {
      const servingTeam = await route(job.teamId);
      const queue = queueOf(servingTeam);
      // On the producer connection, which fails fast: a Redis outage answers at once, not at the timeout.
      const workers = await queue.getWorkersCount().catch(() => {
        throw new PredictError('no-worker', 'the job queue (Redis) cannot be reached; try again shortly');
      });
      if (workers === 0) {
        throw new PredictError('no-worker', 'no worker serves this team’s predictions: start a worker with one of the team’s worker tokens');
      }
      const { events } = await eventsOf(servingTeam);
      const added = await queue.add(JOB_NAMES.predict, ZPredictJob.parse(job));
      try {
        return ZPredictJobResult.parse(await added.waitUntilFinished(events, timeoutMs));
      } catch {
        const state = await added.getState();
        if (state === 'failed') throw new PredictError('failed', 'the worker failed to answer (its log has the reason)');
        if (state === 'waiting' || state === 'prioritized' || state === 'delayed') {
          await added.remove().catch(() => undefined);
          throw new PredictError('no-worker', `no worker took the prediction within ${timeoutMs / 1000} s (the team’s workers are busy or gone)`);
        }
        throw new PredictError('timeout', `the worker did not answer within ${timeoutMs / 1000} s`);
      }
    },
    async close() {
      const all = await Promise.allSettled(listeners.values());
      listeners.clear();
      for (const r of all) {
        if (r.status !== 'fulfilled') continue;
        // Its connection is ours: dropping it ends the blocking read even when Redis is gone.
        r.value.connection.disconnect();
        await r.value.events.close().catch(() => undefined);
      }
      await Promise.all([...queues.values()].map((q) => q.close()));
      queues.clear();
    },
  };
}
