import { pino } from 'pino';

import { loadWorkerEnv } from './env';
import { SHUTDOWN_EPOCH_WAIT_MS } from './trainer-process';
import { startWorker } from './runtime';

const SHUTDOWN_DEADLINE_MS = SHUTDOWN_EPOCH_WAIT_MS + 15_000;

try {
  const env = loadWorkerEnv();
  const log = pino({ level: env.LOG_LEVEL });
  const runtime = await startWorker(env, log);
  const stop = () => {
    // worker.close() waits for active jobs and has no deadline of its own: the trainers get
    // SHUTDOWN_EPOCH_WAIT_MS to checkpoint, the hand-back a little more.
    const deadline = setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    void runtime.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (err) {
  const message = (err as Error).message;
  console.error(message.startsWith('hyperzoo') ? message : `hyperzoo worker: ${message}`);
  process.exit(1);
}
