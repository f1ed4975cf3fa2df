import { onShutdown } from '@hyperzoo/lifecycle';
import { EnvError } from '@hyperzoo/schemas';

import { loadApiEnv } from './env';
import { startApiServer } from './server';

try {
  const api = await startApiServer(loadApiEnv());
  const stop = () => {
    const deadline = setTimeout(() => process.exit(1), 10_000);
    deadline.unref();
    void api.close().then(() => process.exit(0));
  };
  onShutdown(stop);
} catch (err) {
  // One clear line at start-up, not a stack trace (bad env, unreachable Postgres, port in use).
  console.error(err instanceof EnvError || (err as Error).message.startsWith('hyperzoo') ? (err as Error).message : `hyperzoo api: ${(err as Error).message}`);
  process.exit(1);
}
