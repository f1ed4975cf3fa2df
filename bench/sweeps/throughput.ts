/**
 * Sweep throughput on a CPU box: a sweep of small runs through the real API and a real worker
 * process, with HZ_SLOTS=1 and HZ_SLOTS=2 alternating (the machine is shared: alternating lets
 * its load hit both alike). Prints one JSON line per sweep and a summary with the runs/hour ratio.
 *   npm run bench:sweep-throughput [-- --runs 20 --pairs 3 --arch mlp --epochs 2 --per-class 40 --batch 16 --warm 1 --warmup 0]
 * `--warmup 1`: before the measured sweep, a sweep of one run per slot on the same worker, so every
 * trainer child has parsed the data set (a worker that lives for hours pays that once per child).
 * Besides runs/hour, each line says where a sweep's time went: slot occupancy (run time summed over
 * wall x slots), the gap between one run's end and the next start on the worker, and the CPU
 * each process used (worker, each trainer child, API, and the Postgres backends serving the
 * bench's database) as a share of one core.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';

import { createHyperzooClient } from '@hyperzoo/client';

import { round, startBenchStack } from '../live/stack';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '20' },
    /** The zoo architecture every run trains (a sweep of one configuration, repeated). */
    arch: { type: 'string', default: 'mlp' },
    batch: { type: 'string', default: '16' },
    pairs: { type: 'string', default: '3' },
    epochs: { type: 'string', default: '2' },
    'per-class': { type: 'string', default: '40' },
    slots: { type: 'string', default: '1,2' },
    warm: { type: 'string', default: '1' },
    warmup: { type: 'string', default: '0' },
  },
});
const RUNS = Number(args.runs);
const SLOTS = args.slots.split(',').map(Number);
const TICKS_PER_S = 100; // USER_HZ on Linux

/** utime + stime of a process, in seconds (0 if it is gone). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const ppid = Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** The Postgres backends of the bench's database, with their CPU seconds so far. */
async function postgresBackends(db: { $queryRaw: (q: TemplateStringsArray) => Promise<unknown> }): Promise<Map<number, number>> {
  const rows = (await db.$queryRaw`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`) as { pid: number }[];
  return new Map(rows.map((r) => [r.pid, cpuSeconds(r.pid)]));
}

const stack = await startBenchStack();

/** A grid sweep of `runs` repeats of one small configuration, from sweeps.create until every run is final. */
async function runSweep(name: string, runs: number) {
  const created = await client.sweeps.create.mutate({
    teamSlug: stack.seed.teamSlug,
    spec: {
      name,
      architectures: [args.arch as 'mlp'],
      dataset: { dataset: 'fashion-mnist', subsetPerClass: Number(args['per-class']), validationSize: 0.2, testPerClass: 5 },
      method: 'grid',
      metric: { name: 'val_accuracy' },
      maxConcurrent: runs,
      repeats: runs,
      parameters: { epochs: { value: Number(args.epochs) }, batchSize: { value: Number(args.batch) } },
    },
  });
  for (;;) {
    const done = await stack.db.db.run.count({ where: { sweepId: created.sweepId, status: { in: ['succeeded', 'failed', 'cancelled', 'diverged', 'pruned'] } } });
    if (done >= created.runs) return created;
    await sleep(100);
  }
}
const client = createHyperzooClient({ url: stack.url, apiKey: stack.seed.apiKey, timeoutMs: 120_000 });
const rows: Array<{ slots: number; runsPerHour: number }> = [];
try {
  let sweepNo = 0;
  for (let pair = 0; pair < Number(args.pairs); pair++) {
    // Alternate which configuration goes first, so a trend in the load does not favour one.
    const order = pair % 2 === 0 ? SLOTS : [...SLOTS].reverse();
    for (const slots of order) {
      const worker = await stack.startWorker({ HZ_SLOTS: String(slots), HZ_WARM_TRAINERS: args.warm, TFJS_BACKEND: 'wasm', LOG_LEVEL: 'info' }, '"trainers warm"');
      if (args.warmup === '1') await runSweep(`warmup-${sweepNo}-${slots}`, slots);
      const workerPid = worker.proc.pid ?? 0;
      const apiPid = stack.api.pid ?? 0;
      const trainersBefore = new Map(childrenOf(workerPid).map((pid) => [pid, cpuSeconds(pid)]));
      const cpuBefore = { worker: cpuSeconds(workerPid), api: cpuSeconds(apiPid) };
      const pgBefore = await postgresBackends(stack.db.db);
      const loadBefore = loadavg()[0] ?? 0;

      const started = performance.now();
      const created = await runSweep(`throughput-${sweepNo++}-${slots}`, RUNS);
      const wallS = (performance.now() - started) / 1000;
      const trainerCpu = [...trainersBefore].map(([pid, before]) => round((cpuSeconds(pid) - before) / wallS));
      const worker_ = round((cpuSeconds(workerPid) - cpuBefore.worker) / wallS);
      const api = round((cpuSeconds(apiPid) - cpuBefore.api) / wallS);
      // A backend that connected during the sweep counts from 0.
      const pgAfter = await postgresBackends(stack.db.db);
      const postgres = round([...pgAfter].reduce((sum, [pid, now]) => sum + now - (pgBefore.get(pid) ?? 0), 0) / wallS);
      const all = round(worker_ + api + trainerCpu.reduce((a, b) => a + b, 0));
      const cpu = { worker: worker_, api, trainers: trainerCpu, all, postgres };
      // CPU seconds per run, each process (trainers summed).
      const perRun = (cores: number) => round((cores * wallS) / created.runs, 3);
      const cpuSecondsPerRun = { worker: perRun(worker_), api: perRun(api), trainers: perRun(trainerCpu.reduce((a, b) => a + b, 0)), postgres: perRun(postgres) };

      const runs = await stack.db.db.run.findMany({ where: { sweepId: created.sweepId }, select: { status: true, startedAt: true, finishedAt: true } });
      const firstRunsS = [...runs]
        .sort((a, b) => (a.startedAt?.getTime() ?? 0) - (b.startedAt?.getTime() ?? 0))
        .slice(0, slots)
        .map((r) => round(((r.finishedAt?.getTime() ?? 0) - (r.startedAt?.getTime() ?? 0)) / 1000));
      const failed = runs.filter((r) => r.status !== 'succeeded').length;
      const spans = runs.map((r) => ({ start: r.startedAt?.getTime() ?? 0, end: r.finishedAt?.getTime() ?? 0 })).sort((a, b) => a.start - b.start);
      const runSeconds = spans.map((s) => (s.end - s.start) / 1000);
      // A run's start minus the latest end before it, when the worker was full: the time a slot sat between runs.
      const gaps: number[] = [];
      const ends = spans.map((s) => s.end).sort((a, b) => a - b);
      spans.slice(slots).forEach((s, i) => gaps.push(Math.max(0, (s.start - (ends[i] ?? s.start)) / 1000)));
      const row = {
        bench: 'sweep-throughput',
        run: { arch: args.arch, perClass: Number(args['per-class']), epochs: Number(args.epochs), batch: Number(args.batch) },
        slots,
        warmTrainers: args.warm === '1',
        runs: created.runs,
        failed,
        wallS: round(wallS, 1),
        runsPerHour: Math.round((created.runs / wallS) * 3600),
        meanRunS: round(runSeconds.reduce((a, b) => a + b, 0) / runSeconds.length),
        firstRunsS,
        slotOccupancy: round(runSeconds.reduce((a, b) => a + b, 0) / (wallS * slots)),
        meanGapS: gaps.length > 0 ? round(gaps.reduce((a, b) => a + b, 0) / gaps.length) : null,
        firstStartS: round(((spans[0]?.start ?? 0) - (Date.now() - wallS * 1000)) / 1000),
        cpuCores: cpu,
        cpuSecondsPerRun,
        load: [round(loadBefore, 1), round(loadavg()[0] ?? 0, 1)],
      };
      console.log(JSON.stringify(row));
      rows.push({ slots, runsPerHour: row.runsPerHour });
      await worker.stop();
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const bySlots = Object.fromEntries(SLOTS.map((n) => [n, median(rows.filter((r) => r.slots === n).map((r) => r.runsPerHour))]));
  const [a, b] = SLOTS;
  const ratios = rows.filter((r) => r.slots === b).map((r, i) => round(r.runsPerHour / (rows.filter((x) => x.slots === a)[i]?.runsPerHour ?? NaN)));
  console.log(JSON.stringify({ bench: 'sweep-throughput', summary: true, medianRunsPerHour: bySlots, pairRatios: ratios, medianRatio: median(ratios) }));
} finally {
  await stack.close();
}
