import { UnrecoverableError } from 'bullmq';
import type { Job } from 'bullmq';
import type { z } from 'zod';

import { formatIssues, toIssues } from '@hyperzoo/schemas';

import type { Processor } from './processor';
import { predictProcessor } from './processors/predict';
import { trainProcessor } from './processors/train';

/** Every job this worker takes, by name (libs/queue JOB_NAMES); a test checks none is missing. */
export const PROCESSORS: readonly Processor[] = [trainProcessor, predictProcessor];

export function findProcessor(name: string, processors: readonly Processor[] = PROCESSORS): Processor | undefined {
  return processors.find((p) => p.name === name);
}

/** job.data through the processor's schema; a payload that fails it is unrecoverable (no retry can fix it). */
export function parseJobData<S extends z.ZodType>(processor: Processor<S>, job: Pick<Job, 'id' | 'data'>): z.infer<S> {
  const parsed = processor.schema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`job ${job.id} has invalid data (${formatIssues(toIssues(parsed.error))})`);
  return parsed.data;
}
