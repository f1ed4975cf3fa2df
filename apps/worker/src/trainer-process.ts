import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { TBackendPreference, TEpochMetric, TRunResult } from '@hyperzoo/schemas';

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
  /** Null while the child lives on (idle below). */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** What the trainer reported for this run; null if it never finished (crash, kill, hand-back). */
  result: { result: TRunResult; provenance: unknown } | null;
  /** The last log line it sent (a crash sends its stack). */
  lastLog: string;
  /** stopAfterCheckpoint was called: the trainer was stopped on purpose. */
  stopped: boolean;
  /** The run ended and the child waits for the next one; liveTensors: what the run left in its engine. */
  idle: { liveTensors: number } | null;
}

/** The trainer entry next to this file: .ts under tsx in development, .js in the bundle. */
function trainerEntry(): { file: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ts = here.endsWith('.ts');
  return { file: path.join(path.dirname(here), ts ? 'trainer.ts' : 'trainer.js'), execArgv: ts ? ['--import', 'tsx'] : [] };
}

/**
 * One trainer child process (trainer.ts): forked at construction, given runs with run(), spoken
 * to over IPC (trainer-protocol.ts). Training stays off the worker's event loop, and a crash of
 * the trainer is not a crash of the worker. After a run the child stays up for the next one
 * (trainer-pool.ts decides whether it may); one run at a time.
 */
export class TrainerProcess {
  /** Resolves when the child has exited, whatever the reason. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the child's uptime when the warm-up (tfjs and backend loaded) is done; null if it exited first. */
  readonly ready: Promise<number | null>;
  readonly pid: number | undefined;
  /** Runs started in this child (1 for a cold one). */
  runs = 0;
  private readonly child: ChildProcess;
  private handlers: TrainerHandlers | null = null;
  private onIdle: ((liveTensors: number) => void) | null = null;
  private onReady: ((uptimeMs: number) => void) | null = null;
  private result: TrainerExit['result'] = null;
  private lastLog = '';
  private stopped = false;

  /**
   * singleThreadedGc: V8 collects garbage on the trainer's own thread, not on helper threads
   * beside it; for CPU trainers that fill every core, where those threads take another trainer's
   * core (docs/WORKER.md, "Warm trainers").
   */
  constructor(opts: { cudaDevice: string | null; warmBackend?: TBackendPreference; singleThreadedGc?: boolean }) {
    const { file, execArgv } = trainerEntry();
    this.child = fork(file, [], {
      execArgv: opts.singleThreadedGc ? ['--single-threaded-gc', ...execArgv] : execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'advanced',
      // The trainer inherits the worker's environment (PATH, library paths), plus its GPU pin.
      // eslint-disable-next-line no-restricted-properties
      env: { ...process.env, ...(opts.cudaDevice !== null ? { CUDA_VISIBLE_DEVICES: opts.cudaDevice } : {}) },
    });
    this.pid = this.child.pid;
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    this.ready = new Promise((resolve) => {
      this.onReady = resolve;
      void this.exited.then(() => resolve(null));
    });
    this.child.on('message', (raw) => this.onMessage(ZTrainerEvent.parse(raw)));
    if (opts.warmBackend) this.send({ type: 'warm', backend: opts.warmBackend });
  }

  /** Whether the child process is still there to take a run. */
  get isAlive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && this.child.connected;
  }

  /** Starts a run; resolves when it has ended (the child idle again) or the child has exited. */
  run(start: TTrainerStart, handlers: TrainerHandlers): Promise<TrainerExit> {
    if (this.handlers) throw new Error('TrainerProcess: a run is already in progress');
    this.handlers = handlers;
    this.result = null;
    this.lastLog = '';
    this.stopped = false;
    this.runs += 1;
    const ended = new Promise<TrainerExit>((resolve) => {
      const finish = (exit: Omit<TrainerExit, 'result' | 'lastLog' | 'stopped'>) => {
        this.handlers = null;
        this.onIdle = null;
        resolve({ ...exit, result: this.result, lastLog: this.lastLog, stopped: this.stopped });
      };
      this.onIdle = (liveTensors) => finish({ code: null, signal: null, idle: { liveTensors } });
      void this.exited.then(({ code, signal }) => {
        if (this.handlers === handlers) finish({ code, signal, idle: null });
      });
    });
    this.send({ type: 'start', ...start });
    return ended;
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
        return this.handlers?.onEpoch(event.metric);
      case 'checkpoint': {
        const { type: _type, ...checkpoint } = event;
        if (this.stopped) this.kill();
        return this.handlers?.onCheckpoint(checkpoint);
      }
      case 'result':
        this.result = { result: event.result, provenance: event.provenance };
        return;
      case 'log':
        this.lastLog = event.message;
        return this.handlers?.onLog?.(event.message);
      case 'ready':
        return this.onReady?.(event.uptimeMs);
      case 'idle':
        // A stopped run is not over until the child is gone (its hand-back kills it).
        if (this.stopped) return this.kill();
        return this.onIdle?.(event.liveTensors);
    }
  }
}
