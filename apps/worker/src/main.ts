import { pino } from 'pino';

import { loadWorkerEnv } from './env';
import { startWorker } from './runtime';

try {
  const env = loadWorkerEnv();
  const log = pino({ level: env.LOG_LEVEL });
  const runtime = await startWorker(env, log);
  const stop = () => {
    // worker.close() waits for active jobs and has no deadline of its own.
    const deadline = setTimeout(() => process.exit(1), 60_000);
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
