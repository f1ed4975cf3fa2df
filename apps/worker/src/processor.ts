import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { z } from 'zod';

import type { HyperzooClient } from '@hyperzoo/client';
import type { ArtifactClient } from '@hyperzoo/client/artifacts';
import type { TRunEvent } from '@hyperzoo/schemas';

import type { TWorkerEnv } from './env';
import type { PredictorProcess } from './predictor-process';
import type { TrainerPool } from './trainer-pool';

/** What every processor gets from the runtime. */
export interface JobDeps {
  api: HyperzooClient;
  /** Checkpoints and models to and from the API's artifact store. */
  artifacts: ArtifactClient;
  env: TWorkerEnv;
  log: Logger;
  workerId: string | null;
  /** Live events (Redis pub/sub, per-run channel); best effort, the DB has the record. */
  publish: (runId: string, event: TRunEvent) => void;
  /** Runs predictions in the predictor child (which keeps loaded models between jobs). */
  predictor: Pick<PredictorProcess, 'predict'>;
  /** Each slot's trainer child, kept warm between runs. */
  trainers: Pick<TrainerPool, 'acquire' | 'release'>;
  /** Aborted on SIGTERM: finish the current epoch's checkpoint, then hand the job back. */
  shutdown: AbortSignal;
}

export interface JobSlot {
  index: number;
  /** CUDA_VISIBLE_DEVICES for this slot's trainer (gpu workers). */
  cudaDevice: string | null;
}

export interface JobContext {
  job: Job;
  /** BullMQ's lock token (needed to move the job back to wait). */
  token: string | undefined;
  /** BullMQ's cancellation of this job. */
  signal: AbortSignal | undefined;
  slot: JobSlot;
  deps: JobDeps;
}

/** The work behind one job name: its payload schema and a plain function of (data, context). */
export interface Processor<S extends z.ZodType = z.ZodType> {
  name: string;
  schema: S;
  handle(data: z.infer<S>, ctx: JobContext): Promise<unknown>;
  /** The job failed for good (unrecoverable, or out of attempts): e.g. end its run as failed. */
  onFinalFailure?(job: Job, err: Error, deps: JobDeps): Promise<void>;
}

export const defineProcessor = <S extends z.ZodType>(processor: Processor<S>): Processor<S> => processor;
