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
// The worker died (SIGKILL, OOM): stop too; the job is retried elsewhere from the last checkpoint.
process.on('disconnect', () => process.exit(1));

process.on('message', (raw) => {
  const cmd = ZTrainerCommand.parse(raw);
  if (cmd.type === 'cancel') {
    abort.abort();
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
      onEpochEnd: (metric) => send({ type: 'epoch', metric }),
      onCheckpoint: (c) => send({ type: 'checkpoint', ...c }),
      log: (message) => void send({ type: 'log', message }),
    },
    { backend: cmd.backend, dataCacheDir: cmd.dataCacheDir, artifactRoot: cmd.artifactRoot, modelUrls: cmd.modelUrls ?? [], modelMaxBytes: cmd.modelMaxBytes },
  );
  const { provenance, epochs: _epochs, ...runResult } = result;
  await send({ type: 'result', result: runResult, provenance });
}
