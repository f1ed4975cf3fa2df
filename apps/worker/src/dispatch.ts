import type { Job } from 'bullmq';

import type { JobDeps, JobSlot, Processor } from './processor';
import { findProcessor, parseJobData } from './registry';

/**
 * BullMQ's processor function: looks the job's processor up by name, parses the payload with
 * its schema, and runs it on a free slot. Unknown names are logged and completed.
 */
export function createJobHandler(opts: { processors: readonly Processor[]; deps: JobDeps; slots: readonly JobSlot[] }) {
  const freeSlots = [...opts.slots];
  const running = new Set<string>();
  const handle = async (job: Job, token?: string, signal?: AbortSignal): Promise<unknown> => {
    const processor = findProcessor(job.name, opts.processors);
    if (!processor) {
      opts.deps.log.warn({ jobId: job.id, name: job.name }, 'unknown job name; completing it without work');
      return 'unknown-job';
    }
    const data = parseJobData(processor, job);
    const slot = freeSlots.shift();
    if (!slot) throw new Error('no free slot (concurrency and slots disagree)');
    running.add(String(job.id));
    try {
      return await processor.handle(data, { job, token, signal, slot, deps: opts.deps });
    } finally {
      running.delete(String(job.id));
      freeSlots.push(slot);
    }
  };
  /** Ids of the jobs on a slot now (the heartbeat's current runs). */
  return { handle, running: () => [...running] };
}
