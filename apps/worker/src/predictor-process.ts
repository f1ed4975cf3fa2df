import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { TPredictJobResult } from '@hyperzoo/queue';
import type { TBackendPreference } from '@hyperzoo/schemas';

import { ZPredictorEvent } from './predictor-protocol';
import type { TPredictorCommand, TPredictRequest } from './predictor-protocol';

/** The predictor entry next to this file: .ts under tsx in development, .js in the bundle. */
function predictorEntry(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ts = here.endsWith('.ts');
  return { file: path.join(path.dirname(here), ts ? 'predictor.ts' : 'predictor.js'), execArgv: ts ? ['--import', 'tsx'] : [] };
}

/**
 * The worker's side of the predictor child (predictor.ts): forked on the first prediction, kept
 * for the next ones (its model cache), forked again if it dies.
 */
export class PredictorProcess {
  private child: ChildProcess | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (a: TPredictJobResult) => void; reject: (e: Error) => void }>();

  constructor(private readonly settings: { backend: TBackendPreference; artifactRoot: string; cacheSize: number }) {}

  predict(request: TPredictRequest): Promise<TPredictJobResult> {
    const child = this.child ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      child.send({ type: 'predict', id, request } satisfies TPredictorCommand);
    });
  }

  close(): void {
    this.child?.kill('SIGKILL');
    this.child = null;
  }

  private start(): ChildProcess {
    const { file, execArgv } = predictorEntry();
    const child = fork(file, [], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
    child.on('message', (raw) => {
      const event = ZPredictorEvent.parse(raw);
      this.pending.get(event.id)?.resolve(event.answer);
      this.pending.delete(event.id);
    });
    child.once('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      for (const p of this.pending.values()) p.reject(new Error(`predictor exited (code ${code}, signal ${signal})`));
      this.pending.clear();
    });
    child.send({ type: 'init', ...this.settings } satisfies TPredictorCommand);
    this.child = child;
    return child;
  }
}
