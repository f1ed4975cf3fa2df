// Predictor child process: models are loaded and run here (tfjs), not on the worker's event loop.
// It lives across jobs, so its cache of loaded models makes repeated predictions on a run fast.
import { createRunPredictor, initBackend, PredictInputError } from '@hyperzoo/models';

import { ZPredictorCommand } from './predictor-protocol';
import type { TPredictorCommand } from './predictor-protocol';

// The worker died: nothing left to answer to.
process.on('disconnect', () => process.exit(0));

let predictor: ReturnType<typeof createRunPredictor> | null = null;
let ready: Promise<unknown> = Promise.resolve();

async function answer(cmd: Extract<TPredictorCommand, { type: 'predict' }>) {
  await ready;
  if (!predictor) throw new Error('predictor used before init');
  try {
    return { predictions: await predictor.predict(cmd.request) };
  } catch (err) {
    if (err instanceof PredictInputError) return { error: { code: 'BAD_INPUT' as const, message: err.message } };
    // The detail (file paths, tfjs' words) stays in the worker's log; the caller learns what to do.
    process.stderr.write(`predict ${cmd.request.artifactPath}: ${(err as Error).stack ?? String(err)}\n`);
    return { error: { code: 'NO_MODEL' as const, message: 'the run’s model could not be loaded on the worker (is the artifact store shared with it?)' } };
  }
}

process.on('message', (raw) => {
  const cmd = ZPredictorCommand.parse(raw);
  if (cmd.type === 'init') {
    ready = initBackend(cmd.backend);
    predictor = createRunPredictor({ artifactRoot: cmd.artifactRoot, cacheSize: cmd.cacheSize });
    return;
  }
  void answer(cmd).then((result) => process.send?.({ type: 'answer', id: cmd.id, answer: result }));
});
