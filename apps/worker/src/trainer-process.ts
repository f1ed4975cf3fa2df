import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { TEpochMetric, TRunResult } from '@hyperzoo/schemas';

import { ZTrainerEvent } from './trainer-protocol';
import type { TTrainerCommand, TTrainerEvent } from './trainer-protocol';

/** How long a shutdown waits for the running epoch's checkpoint before it stops the trainer anyway. */
export const SHUTDOWN_EPOCH_WAIT_MS = 30_000;

export type TTrainerStart = Omit<Extract<TTrainerCommand, { type: 'start' }>, 'type'>;
export type TTrainerCheckpoint = Omit<Extract<TTrainerEvent, { type: 'checkpoint' }>, 'type'>;

export interface TrainerHandlers {
  onEpoch(metric: TEpochMetric): void;
  onCheckpoint(checkpoint: TTrainerCheckpoint): void;
  onLog?(message: string): void;
}

export interface TrainerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** What the trainer reported before it exited; null if it never finished (crash, kill, hand-back). */
  result: { result: TRunResult; provenance: unknown } | null;
  /** The last log line it sent (a crash sends its stack). */
  lastLog: string;
  /** stopAfterCheckpoint was called: the trainer was stopped on purpose. */
  stopped: boolean;
}

/** The trainer entry next to this file: .ts under tsx in development, .js in the bundle. */
function trainerEntry(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ts = here.endsWith('.ts');
  return { file: path.join(path.dirname(here), ts ? 'trainer.ts' : 'trainer.js'), execArgv: ts ? ['--import', 'tsx'] : [] };
}

/**
 * One trainer child process (trainer.ts): forked at construction, started with start(), spoken
 * to over IPC (trainer-protocol.ts). Training stays off the worker's event loop, and a crash of
 * the trainer is not a crash of the worker.
 */
export class TrainerProcess {
  /** Resolves when the child has exited, whatever the reason. */
  readonly exited: Promise<TrainerExit>;
  private readonly child: ChildProcess;
  private result: TrainerExit['result'] = null;
  private lastLog = '';
  private stopped = false;

  constructor(
    private readonly handlers: TrainerHandlers,
    opts: { cudaDevice: string | null },
  ) {
    const { file, execArgv } = trainerEntry();
    this.child = fork(file, [], {
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
      // The trainer inherits the worker's environment (PATH, library paths), plus its GPU pin.
      // eslint-disable-next-line no-restricted-properties
      env: { ...process.env, ...(opts.cudaDevice !== null ? { CUDA_VISIBLE_DEVICES: opts.cudaDevice } : {}) },
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve({ code, signal, result: this.result, lastLog: this.lastLog, stopped: this.stopped }));
    });
    this.child.on('message', (raw) => this.onMessage(ZTrainerEvent.parse(raw)));
  }

  /** Starts training; resolves when the child has exited. */
  run(start: TTrainerStart): Promise<TrainerExit> {
    this.send({ type: 'start', ...start });
    return this.exited;
  }

  /** Stops at the next batch boundary; the trainer reports the run as cancelled. */
  cancel(): void {
    this.send({ type: 'cancel' });
  }

  /** The answer at a rung epoch the trainer waits at (waitAtEpochs). */
  proceed(epoch: number, prune: boolean): void {
    this.send({ type: 'proceed', epoch, prune });
  }

  /** Hand-back: the trainer is killed right after its next checkpoint, or after timeoutMs at most. */
  stopAfterCheckpoint(timeoutMs = SHUTDOWN_EPOCH_WAIT_MS): void {
    this.stopped = true;
    const timer = setTimeout(() => this.kill(), timeoutMs);
    void this.exited.then(() => clearTimeout(timer));
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  private send(command: TTrainerCommand): void {
    if (this.child.connected) this.child.send(command);
  }

  private onMessage(event: TTrainerEvent): void {
    switch (event.type) {
      case 'epoch':
        return this.handlers.onEpoch(event.metric);
      case 'checkpoint': {
        const { type: _type, ...checkpoint } = event;
        if (this.stopped) this.kill();
        return this.handlers.onCheckpoint(checkpoint);
      }
      case 'result':
        this.result = { result: event.result, provenance: event.provenance };
        return;
      case 'log':
        this.lastLog = event.message;
        return this.handlers.onLog?.(event.message);
    }
  }
}
