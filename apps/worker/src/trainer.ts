// Trainer child process: CPU-heavy training runs here, so the worker's event loop stays
// free for lock renewal and heartbeats, and a crash here is not a crash of the worker.
// It lives across runs (trainer-pool.ts): tfjs, the backend and parsed data sets stay loaded,
// so a warm trainer starts its next run in a fraction of a cold one's time.
import { initBackend, liveTensorCount, runTraining } from '@hyperzoo/models';

import { ZTrainerCommand } from './trainer-protocol';
import type { TTrainerCommand, TTrainerEvent } from './trainer-protocol';

type TStart = Extract<TTrainerCommand, { type: 'start' }>;

const send = (event: TTrainerEvent) =>
  new Promise<void>((resolve, reject) => {
    if (!process.send) return reject(new Error('trainer must run as a forked child'));
    process.send(event, (err: Error | null) => (err ? reject(err) : resolve()));
  });

/** The run in progress: its cancellation, and rung epochs waiting for the parent's `proceed`. */
let current: { abort: AbortController; waiting: Map<number, (prune: boolean) => void>; isPruned: boolean } | null = null;

// The worker died (SIGKILL, OOM): stop too; the job is retried elsewhere from the last checkpoint.
process.on('disconnect', () => process.exit(1));

const crash = async (err: Error) => {
  await send({ type: 'log', message: err.stack ?? err.message }).catch(() => undefined);
  process.exit(1);
};

process.on('message', (raw) => {
  const cmd = ZTrainerCommand.parse(raw);
  switch (cmd.type) {
    case 'warm':
      void initBackend(cmd.backend).then(() => send({ type: 'ready', uptimeMs: Math.round(process.uptime() * 1000) }), crash);
      return;
    case 'cancel':
      current?.abort.abort();
      return;
    case 'proceed':
      current?.waiting.get(cmd.epoch)?.(cmd.prune);
      current?.waiting.delete(cmd.epoch);
      return;
    case 'start':
      if (current) return void crash(new Error(`trainer: start of run ${cmd.runId} while another run is in progress`));
      current = { abort: new AbortController(), waiting: new Map(), isPruned: false };
      void train(cmd, current).then(async () => {
        current = null;
        await send({ type: 'idle', liveTensors: liveTensorCount() });
      }, crash);
  }
});

async function train(cmd: TStart, run: NonNullable<typeof current>) {
  const result = await runTraining(
    cmd.config,
    {
      signal: run.abort.signal,
      checkpointDir: cmd.checkpointDir,
      resumeFrom: cmd.resumeFrom,
      onEpochEnd: async (metric) => {
        const answer = cmd.waitAtEpochs?.includes(metric.epoch) ? new Promise<boolean>((resolve) => run.waiting.set(metric.epoch, resolve)) : null;
        await send({ type: 'epoch', metric });
        // At a rung the next epoch waits for the sweep's decision; a cut stops here, at the epoch boundary.
        if (answer && (await answer)) {
          run.isPruned = true;
          run.abort.abort();
        }
      },
      onCheckpoint: (c) => send({ type: 'checkpoint', ...c }),
      log: (message) => void send({ type: 'log', message }),
    },
    { backend: cmd.backend, dataCacheDir: cmd.dataCacheDir, artifactRoot: cmd.artifactRoot, modelUrls: cmd.modelUrls ?? [], modelMaxBytes: cmd.modelMaxBytes },
  );
  const { provenance, epochs: _epochs, ...runResult } = result;
  const status = run.isPruned && runResult.status === 'cancelled' ? 'pruned' : runResult.status;
  await send({ type: 'result', result: { ...runResult, status }, provenance });
}
