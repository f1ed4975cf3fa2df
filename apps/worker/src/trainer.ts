// Trainer child process: CPU-heavy training runs here, so the worker's event loop stays
// free for lock renewal and heartbeats, and a crash here is not a crash of the worker.
import { runTraining } from '@hyperzoo/models';

import { ZTrainerCommand } from './trainer-protocol';
import type { TTrainerEvent } from './trainer-protocol';

const send = (event: TTrainerEvent) =>
  new Promise<void>((resolve, reject) => {
    if (!process.send) return reject(new Error('trainer must run as a forked child'));
    process.send(event, (err: Error | null) => (err ? reject(err) : resolve()));
  });

const abort = new AbortController();
/** Rung epochs waiting for the parent's `proceed`; set when the sweep's Hyperband cut this run. */
const waiting = new Map<number, (prune: boolean) => void>();
let isPruned = false;
// The worker died (SIGKILL, OOM): stop too; the job is retried elsewhere from the last checkpoint.
process.on('disconnect', () => process.exit(1));

process.on('message', (raw) => {
  const cmd = ZTrainerCommand.parse(raw);
  if (cmd.type === 'cancel') {
    abort.abort();
    return;
  }
  if (cmd.type === 'proceed') {
    waiting.get(cmd.epoch)?.(cmd.prune);
    waiting.delete(cmd.epoch);
    return;
  }
  void train(cmd).then(
    () => process.exit(0),
    async (err: Error) => {
      await send({ type: 'log', message: err.stack ?? err.message }).catch(() => undefined);
      process.exit(1);
    },
  );
});

async function train(cmd: Extract<ReturnType<typeof ZTrainerCommand.parse>, { type: 'start' }>) {
  const result = await runTraining(
    cmd.config,
    {
      signal: abort.signal,
      checkpointDir: cmd.checkpointDir,
      resumeFrom: cmd.resumeFrom,
      onEpochEnd: async (metric) => {
        const answer = cmd.waitAtEpochs?.includes(metric.epoch) ? new Promise<boolean>((resolve) => waiting.set(metric.epoch, resolve)) : null;
        await send({ type: 'epoch', metric });
        // At a rung the next epoch waits for the sweep's decision; a cut stops here, at the epoch boundary.
        if (answer && (await answer)) {
          isPruned = true;
          abort.abort();
        }
      },
      onCheckpoint: (c) => send({ type: 'checkpoint', ...c }),
      log: (message) => void send({ type: 'log', message }),
    },
    { backend: cmd.backend, dataCacheDir: cmd.dataCacheDir, artifactRoot: cmd.artifactRoot, modelUrls: cmd.modelUrls ?? [], modelMaxBytes: cmd.modelMaxBytes },
  );
  const { provenance, epochs: _epochs, ...runResult } = result;
  const status = isPruned && runResult.status === 'cancelled' ? 'pruned' : runResult.status;
  await send({ type: 'result', result: { ...runResult, status }, provenance });
}
