import type { TBackendPreference } from '@hyperzoo/schemas';

import type { JobSlot } from './processor';
import { TrainerProcess } from './trainer-process';
import type { TrainerExit } from './trainer-process';

/**
 * Warm trainers: one child process per slot, forked (and its backend loaded) when the worker
 * starts, and reused across runs. A cold run pays fork, tfjs import, backend init and data-set
 * parsing (about 2 s here); a warm one only its own work. A child is reused only after a clean
 * run: it ended succeeded or diverged and left no tensor behind. Anything else (crash, cancel,
 * prune, failure, hand-back, leaked tensors) kills it, and a fresh one takes the slot.
 */
export class TrainerPool {
  private readonly idle = new Map<number, TrainerProcess>();
  private isClosed = false;

  constructor(private readonly settings: { backend: TBackendPreference; reuse: boolean; singleThreadedGc?: boolean }) {}

  /** Pre-forks one trainer per slot (the workers' start-up). */
  prefork(slots: readonly JobSlot[]): void {
    for (const slot of slots) if (!this.idle.has(slot.index)) this.idle.set(slot.index, this.fork(slot));
  }

  /** The slot's trainer for the next run: the warm one if it is alive, else a fresh fork. */
  acquire(slot: JobSlot): TrainerProcess {
    const warm = this.idle.get(slot.index);
    this.idle.delete(slot.index);
    if (warm?.isAlive) return warm;
    warm?.kill();
    return this.fork(slot);
  }

  /** Gives a trainer back after its run: kept for the slot's next run, or killed and replaced. */
  release(slot: JobSlot, trainer: TrainerProcess, exit: TrainerExit): 'reused' | 'replaced' {
    const keep = !this.isClosed && this.settings.reuse && isReusable(exit) && trainer.isAlive;
    if (!keep) trainer.kill();
    if (!this.isClosed) this.idle.set(slot.index, keep ? trainer : this.fork(slot));
    return keep ? 'reused' : 'replaced';
  }

  /** Resolves when every idle trainer has loaded its backend (the worker logs it; benches wait for it). */
  async whenWarm(): Promise<void> {
    await Promise.all([...this.idle.values()].map((t) => t.ready));
  }

  /** Kills the idle trainers; running ones end with their jobs. */
  close(): void {
    this.isClosed = true;
    for (const trainer of this.idle.values()) trainer.kill();
    this.idle.clear();
  }

  private fork(slot: JobSlot): TrainerProcess {
    return new TrainerProcess({ cudaDevice: slot.cudaDevice, warmBackend: this.settings.backend, singleThreadedGc: this.settings.singleThreadedGc });
  }
}

/** A run that ended cleanly in a child that is still up and holds no tensor. */
export function isReusable(exit: TrainerExit): boolean {
  const status = exit.result?.result.status;
  return exit.idle !== null && exit.idle.liveTensors === 0 && !exit.stopped && (status === 'succeeded' || status === 'diverged');
}
