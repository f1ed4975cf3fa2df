import type { JobsOptions } from 'bullmq';

import type { TResourceClass } from '@hyperzoo/schemas';


export const JOB_NAMES = { train: 'training.run', predict: 'model.predict' } as const;

/**
 * One training queue per team and resource class: a worker serves only its token's team, so it
 * never takes another team's job, and a run demands its class by landing in that queue.
 */
export function trainQueueName(teamId: string, resourceClass: TResourceClass, prefix = ''): string {
  return `${prefix}hz-train-${teamId}-${resourceClass}`;
}

/**
 * Predictions have their own queue per team, served by every worker of the team beside its
 * training slots: a prediction never waits behind a training run.
 */
export function predictQueueName(teamId: string, prefix = ''): string {
  return `${prefix}hz-predict-${teamId}`;
}

/** Live events: one pub/sub channel per run. */
export function runEventsChannel(runId: string, prefix = ''): string {
  return `${prefix}hz:run:${runId}:events`;
}

export const DEFAULT_TRAIN_JOB_OPTIONS: Readonly<JobsOptions> = Object.freeze({
  attempts: 3,
  backoff: { type: 'exponential', delay: 5_000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
});

/** Every run's events channel under this prefix: the API's one subscriber listens to all of them. */
export function runEventsPattern(prefix = ''): string {
  return `${prefix}hz:run:*:events`;
}

/** A prediction is answered now or never: no retry, and its job is kept only briefly. */
export const DEFAULT_PREDICT_JOB_OPTIONS: Readonly<JobsOptions> = Object.freeze({
  attempts: 1,
  removeOnComplete: { age: 60, count: 1000 },
  removeOnFail: { age: 3600, count: 1000 },
});
