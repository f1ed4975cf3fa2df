import { Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';

import { DEFAULT_PREDICT_JOB_OPTIONS, JOB_NAMES, predictQueueName } from './constants';
import { ZPredictJob, ZPredictJobResult } from './jobs';
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

interface TeamQueue {
  queue: Queue;
  events: QueueEvents;
  eventsConnection: Redis;
}

/** One queue (and one QueueEvents listener, on its own connection: it blocks) per team that asks for predictions. */
export function createPredictQueues(connection: Redis, prefix = ''): PredictQueues {
  const teams = new Map<string, Promise<TeamQueue>>();
  const get = (teamId: string) => {
    let team = teams.get(teamId);
    if (!team) {
      team = (async () => {
        const name = predictQueueName(teamId, prefix);
        const eventsConnection = connection.duplicate({ maxRetriesPerRequest: null, enableOfflineQueue: true });
        eventsConnection.on('error', () => undefined);
        const events = new QueueEvents(name, { connection: eventsConnection });
        // Listening before the job is added, so its completion cannot be missed.
        await events.waitUntilReady();
        return { queue: new Queue(name, { connection, defaultJobOptions: DEFAULT_PREDICT_JOB_OPTIONS }), events, eventsConnection };
      })();
      team.catch(() => teams.delete(teamId));
      teams.set(teamId, team);
    }
    return team;
  };
  return {
    async request(job, { timeoutMs }) {
      const { queue, events } = await get(job.teamId);
      if ((await queue.getWorkersCount()) === 0) {
        throw new PredictError('no-worker', 'no worker serves this team’s predictions: start a worker with one of the team’s worker tokens');
      }
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
      const all = await Promise.allSettled(teams.values());
      teams.clear();
      for (const r of all) {
        if (r.status !== 'fulfilled') continue;
        await r.value.events.close();
        await r.value.queue.close();
        r.value.eventsConnection.disconnect();
      }
    },
  };
}
