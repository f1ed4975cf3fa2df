import { setTimeout as sleep } from 'node:timers/promises';

import { MultiBar, type SingleBar } from 'cli-progress';

import { isRetryableClientError, type HyperzooClient } from '@hyperzoo/client';
import { RUN_STATUSES, type TRunStatus, type TSweepDetail } from '@hyperzoo/schemas';

/** Exit code of `hz sweep watch` (and `create --watch`) when the sweep ended cancelled. */
export const CANCELLED_EXIT_CODE = 3;

/** Polls in a row that may fail (the API restarting) before watch gives up. */
const MAX_POLL_FAILURES = 30;

const fmt = (v: number) => Number(v.toPrecision(4)).toString();

export const describeBest = (s: Pick<TSweepDetail, 'best' | 'metric'>) => (s.best ? `best ${s.metric.name} ${fmt(s.best.value)} (run ${s.best.runId})` : `best ${s.metric.name} -`);

/** `running 2, succeeded 3, pruned 1 of 8 runs`: the statuses that have runs. */
export function describeCounts(s: Pick<TSweepDetail, 'counts' | 'maxRuns'>): string {
  const parts = RUN_STATUSES.filter((st) => (s.counts[st] ?? 0) > 0).map((st) => `${st} ${s.counts[st]}`);
  return `${parts.length ? parts.join(', ') : 'no runs yet'} of ${s.maxRuns} runs`;
}

/** One bar per run status on a terminal; elsewhere (a pipe, a CI log) a line each time something changed. */
function progressView(out: NodeJS.WriteStream) {
  if (!out.isTTY) {
    let last = '';
    return {
      update(s: TSweepDetail) {
        const line = `${s.name} ${s.status}: ${describeCounts(s)}; ${describeBest(s)}`;
        if (line !== last) out.write(`${line}\n`);
        last = line;
      },
      stop() {},
    };
  }
  const multi = new MultiBar({ format: '{status} [{bar}] {value}/{total}  {note}', stream: out, hideCursor: true, clearOnComplete: false, autopadding: true });
  const bars = new Map<TRunStatus | 'best', SingleBar>();
  return {
    update(s: TSweepDetail) {
      for (const status of RUN_STATUSES) {
        const value = s.counts[status] ?? 0;
        if (value === 0 && !bars.has(status)) continue;
        const bar = bars.get(status) ?? multi.create(s.maxRuns, value, { status: status.padEnd(9), note: '' });
        bars.set(status, bar);
        bar.setTotal(s.maxRuns);
        bar.update(value, { note: status === 'succeeded' ? describeBest(s) : '' });
      }
    },
    stop() {
      multi.stop();
    },
  };
}

/**
 * Polls sweeps.get every `intervalMs` until the sweep is finished or cancelled, showing its
 * progress on stderr; returns the last state. A failed poll the API may answer later is retried.
 */
export async function watchSweep(api: HyperzooClient, sweepId: string, intervalMs = 1000): Promise<TSweepDetail> {
  const view = progressView(process.stderr);
  let failures = 0;
  try {
    for (;;) {
      let s: TSweepDetail;
      try {
        s = await api.sweeps.get.query({ sweepId });
        failures = 0;
      } catch (err) {
        if (!isRetryableClientError(err) || ++failures > MAX_POLL_FAILURES) throw err;
        await sleep(intervalMs);
        continue;
      }
      view.update(s);
      if (s.status === 'finished' || s.status === 'cancelled') return s;
      await sleep(intervalMs);
    }
  } finally {
    view.stop();
  }
}
