import { randomUUID } from 'node:crypto';
import path from 'node:path';

import { ZRunConfig } from '@hyperzoo/schemas';
import type { TEpochMetric, TRunConfig, TRunResult } from '@hyperzoo/schemas';
import type { z } from 'zod';

import { createHyperzooClient } from '../client';
import type { HyperzooClient } from '../client';
import { isRetryableClientError } from '../errors';
import { EpochReporter } from '../reporter/epoch-reporter';
import { withApiRetry } from '../reporter/retry';
import { loadSdkEnv } from './env';
import { OfflineRunDir } from './offline';
import { findKeyTeam } from './sync';
import { fromTfjsLogs } from './tfjs-logs';

export interface TInitOptions {
  /** Project slug (default "default"). */
  project?: string;
  /** The run's config, checked against the zoo's schema for its architecture. */
  config: z.input<typeof ZRunConfig>;
  name?: string;
  /** Team slug; default the API key's team. */
  team?: string;
  /** auto (default): online when the API answers, else offline; `hz sync <dir>` uploads later. */
  mode?: 'online' | 'offline' | 'auto';
  apiUrl?: string;
  apiKey?: string;
  /** Parent of the run's local directory (default HZ_DIR or ./hyperzoo). */
  dir?: string;
  /** How long a report may wait for an unreachable API before it is left to `hz sync` (default 60 s). */
  reportDeadlineMs?: number;
  onWarning?: (message: string) => void;
}

/** What tfjs' model.fit accepts as a callback (CustomCallbackArgs), typed structurally: no tfjs here. */
export interface THzCallback {
  onEpochBegin(epoch: number, logs?: Record<string, unknown>): Promise<void>;
  onBatchEnd(batch: number, logs?: Record<string, unknown>): Promise<void>;
  onEpochEnd(epoch: number, logs?: Record<string, unknown>): Promise<void>;
  onTrainEnd(logs?: Record<string, unknown>): Promise<void>;
}

export type TFinishOptions = Partial<Omit<TRunResult, 'status' | 'error'>> & { status?: TRunResult['status']; error?: unknown };

interface Online {
  api: HyperzooClient;
  reporter: EpochReporter;
}

/** A run being logged: `run.callback()` for model.fit, `run.log()` by hand, `run.finish()` at the end. */
export class HzRun {
  private diverged = false;
  private finished: Promise<void> | null = null;
  /**
   * A script that dies of an exception leaves its run failed in the local files (written
   * synchronously: nothing async runs in that handler); `hz sync <dir>` tells the API.
   */
  private readonly onCrash = (err: Error) => {
    if (!this.finished) this.local.finish(toResult({ error: err }));
  };

  constructor(
    readonly id: string,
    /** The run's local files: a complete record whatever the mode (`hz sync` accepts it). */
    readonly local: OfflineRunDir,
    private readonly online: Online | null,
    private readonly warn: (message: string) => void,
  ) {
    process.once('uncaughtExceptionMonitor', this.onCrash);
  }

  get mode(): 'online' | 'offline' {
    return this.online ? 'online' : 'offline';
  }

  get dir(): string {
    return this.local.dir;
  }

  /** Records one epoch (Keras names). */
  log(metric: TEpochMetric): void {
    this.local.addEpoch(metric);
    this.online?.reporter.push(metric);
  }

  /**
   * A callback for tfjs' model.fit: logs each epoch; at the end of training marks the run
   * succeeded (diverged after a NaN loss) unless `finish: false` (several fits, one run).
   */
  callback(opts: { finish?: boolean } = {}): THzCallback {
    let started = 0;
    let images = 0;
    return {
      onEpochBegin: async () => {
        started = performance.now();
        images = 0;
      },
      onBatchEnd: async (_batch, logs) => {
        if (typeof logs?.size === 'number') images += logs.size;
      },
      onEpochEnd: async (epoch, logs = {}) => {
        const metric = fromTfjsLogs(epoch, logs, { durationMs: performance.now() - started, images });
        if (metric) this.log(metric);
        else this.diverged = true;
      },
      onTrainEnd: async () => {
        if (opts.finish !== false) await this.finish({ status: this.diverged ? 'diverged' : 'succeeded' });
      },
    };
  }

  /** Marks the run ended (succeeded by default; pass `error` for a failure). Once: later calls wait for the first. */
  finish(opts: TFinishOptions = {}): Promise<void> {
    this.finished ??= this.doFinish(opts);
    return this.finished;
  }

  private async doFinish(opts: TFinishOptions): Promise<void> {
    process.removeListener('uncaughtExceptionMonitor', this.onCrash);
    const result = toResult(opts);
    this.local.finish(result);
    const online = this.online;
    if (!online) return;
    try {
      // Epochs first: ingest refuses epochs into an ended run.
      await online.reporter.flush();
      await withApiRetry(() => online.api.sdk.finishRun.mutate({ runId: this.id, result }), { deadlineMs: 60_000 });
    } catch (err) {
      this.warn(`run ${this.id}: could not reach the API (${(err as Error).message}); upload it later with: hz sync ${this.dir}`);
    }
  }
}

function toResult(opts: TFinishOptions): TRunResult {
  const error = opts.error === undefined ? null : errorText(opts.error);
  return {
    status: opts.status ?? (error ? 'failed' : 'succeeded'),
    bestEpoch: opts.bestEpoch ?? null,
    stoppedEpoch: opts.stoppedEpoch ?? null,
    testLoss: opts.testLoss ?? null,
    testAccuracy: opts.testAccuracy ?? null,
    paramCount: opts.paramCount ?? null,
    backend: opts.backend ?? null,
    device: opts.device ?? null,
    error: error?.slice(0, 20_000) ?? null,
  };
}

function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return typeof err === 'string' ? err : (JSON.stringify(err) ?? 'unknown error');
}

/** Starts a run: `const run = await init({ project, config })`, then `model.fit(x, y, { callbacks: [run.callback()] })`. */
export async function init(opts: TInitOptions): Promise<HzRun> {
  const env = loadSdkEnv();
  const warn = opts.onWarning ?? ((m: string) => console.warn(`hyperzoo: ${m}`));
  const config: TRunConfig = ZRunConfig.parse(opts.config);
  const mode = opts.mode ?? env.HZ_MODE ?? 'auto';
  const apiUrl = opts.apiUrl ?? env.HZ_API_URL;
  const apiKey = opts.apiKey ?? env.HZ_API_KEY;
  const runId = randomUUID();
  const projectSlug = opts.project ?? 'default';
  const dir = path.resolve(opts.dir ?? env.HZ_DIR ?? 'hyperzoo', `run-${new Date().toISOString().replace(/[:.]/g, '-')}-${runId.slice(0, 8)}`);

  let online: Online | null = null;
  let teamSlug = opts.team ?? null;
  if (mode !== 'offline') {
    if (!apiUrl || !apiKey) {
      if (mode === 'online') throw new Error('online mode needs an API URL and key (apiUrl/apiKey, or HZ_API_URL/HZ_API_KEY)');
      warn('no API URL or key (HZ_API_URL, HZ_API_KEY): logging offline');
    } else {
      const api = createHyperzooClient({ url: apiUrl, apiKey, timeoutMs: 10_000 });
      try {
        teamSlug ??= await findKeyTeam(api);
        await withApiRetry(() => api.sdk.createRun.mutate({ teamSlug: teamSlug as string, runId, projectSlug, name: opts.name, config }), { deadlineMs: 10_000 });
        const reporter = new EpochReporter({
          api,
          runId,
          attempt: 1,
          spool: { file: path.join(dir, 'pending-epochs.jsonl') },
          retry: { deadlineMs: opts.reportDeadlineMs ?? 60_000 },
          send: (epochs) => api.sdk.logEpochs.mutate({ runId, epochs }),
          onWarning: warn,
        });
        online = { api, reporter };
      } catch (err) {
        // A refusal (bad key, bad config) is the user's to fix; only an unreachable API means offline.
        if (mode === 'online' || !isRetryableClientError(err)) throw err;
        warn(`the API at ${apiUrl} is unreachable (${(err as Error).message}): logging offline to ${dir}`);
      }
    }
  }
  const local = OfflineRunDir.create(dir, { runId, teamSlug, projectSlug, name: opts.name ?? null, config });
  return new HzRun(runId, local, online, warn);
}
