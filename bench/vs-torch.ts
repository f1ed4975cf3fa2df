/**
 * Ours (tfjs wasm + our kernels, bench/train.ts) against the PyTorch CPU twin (bench/train_torch.py),
 * side by side on this machine: in each round every contestant runs once, one after the other,
 * the order rotating every round, so load that comes and goes hits all alike.
 *   npm run bench:vs-torch -- --arch lenet5,mlp --pairs 5 [--images N] [--threads 1] [--blas default,openblas]
 * Contestants: ours, and PyTorch with each --blas: `default` is the libblas the system's
 * alternatives select (what `apt-get install python3-torch` brings: the reference BLAS),
 * `openblas` the same torch with Debian's OpenBLAS (libopenblas0-pthread) put first on
 * LD_LIBRARY_PATH. Each run is its own process (a warm-up, then one timed epoch). One JSON line
 * per round (images/s of each, ratio = ours / PyTorch), then one summary line per arch and BLAS.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { BENCH_ARCHS } from './bench-models';

const { values: args } = parseArgs({
  options: {
    arch: { type: 'string', default: 'all' },
    pairs: { type: 'string', default: '5' },
    batch: { type: 'string', default: '32' },
    images: { type: 'string' },
    'warmup-images': { type: 'string', default: '320' },
    threads: { type: 'string', default: '1' },
    python: { type: 'string', default: '/usr/bin/python3' },
    blas: { type: 'string', default: 'default,openblas' },
    'openblas-dir': { type: 'string', default: '/usr/lib/x86_64-linux-gnu/openblas-pthread' },
    /** Ours with oneDNN's convolutions (where they build) or our wasm ones: bench/train.ts --convolutions. */
    convolutions: { type: 'string', default: 'onednn' },
  },
});

/** The targets: ours / PyTorch images per second. */
const GOALS: Record<string, number> = { mlp: 1, lenet5: 1, alexnet: 0.7, googlenet: 0.7, resnet: 0.7, transfer: 0.7 };

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const archs = args.arch === 'all' ? BENCH_ARCHS.map((a) => a.arch) : args.arch.split(',');
type TRun = { imagesPerSec: number; imagesPerCpuSec: number; params: number; backend: string; blas?: string };

function run(command: string, argv: string[], env: NodeJS.ProcessEnv = process.env): TRun {
  const r = spawnSync(command, argv, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24, env });
  const line = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0 || !line.startsWith('{')) throw new Error(`${command} ${argv.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(line) as TRun;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const r2 = (n: number): number => Math.round(n * 100) / 100;

for (const arch of archs) {
  const spec = BENCH_ARCHS.find((a) => a.arch === arch);
  if (spec == null) throw new Error(`--arch ${arch}: expected all or one of ${BENCH_ARCHS.map((a) => a.arch).join(', ')}`);
  const images = args.images ?? String(spec.defaultImages.fast);
  const common = ['--arch', arch, '--batch', args.batch, '--images', images, '--warmup-images', args['warmup-images']];
  const ours = (): TRun => run(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), 'bench/train.ts', ...common, '--backend', 'wasm', '--convolutions', args.convolutions, '--json']);
  const blasVariants = args.blas.split(',');
  const torch = (blas: string) => (): TRun =>
    run(args.python, ['bench/train_torch.py', ...common, '--threads', args.threads], blas === 'openblas' ? { ...process.env, LD_LIBRARY_PATH: args['openblas-dir'] } : process.env);
  const contestants: Array<[string, () => TRun]> = [['ours', ours], ...blasVariants.map((b): [string, () => TRun] => [`torch-${b}`, torch(b)])];
  const rounds: Array<Record<string, TRun>> = [];
  for (let round = 1; round <= Number(args.pairs); round += 1) {
    const load = loadavg()[0] as number;
    const order = contestants.map((_, i) => contestants[(i + round - 1) % contestants.length] as [string, () => TRun]);
    const results: Record<string, TRun> = {};
    for (const [name, f] of order) results[name] = f();
    rounds.push(results);
    const a = results.ours as TRun;
    const row: Record<string, unknown> = { bench: 'vs-torch', arch, round, order: order.map(([n]) => n), loadAverage: r2(load), images: Number(images), oursImagesPerSec: a.imagesPerSec };
    for (const b of blasVariants) {
      const t = results[`torch-${b}`] as TRun;
      row[`torch_${b}ImagesPerSec`] = t.imagesPerSec;
      row[`ratio_${b}`] = r2(a.imagesPerSec / t.imagesPerSec);
      row[`cpuRatio_${b}`] = r2(a.imagesPerCpuSec / t.imagesPerCpuSec);
    }
    console.log(JSON.stringify(row));
  }
  const goal = GOALS[arch] ?? 0.7;
  for (const b of blasVariants) {
    const pairs = rounds.map((r) => ({ ours: r.ours as TRun, torch: r[`torch-${b}`] as TRun }));
    const ratios = pairs.map((p) => p.ours.imagesPerSec / p.torch.imagesPerSec);
    console.log(JSON.stringify({
      bench: 'vs-torch', summary: true, arch, config: spec.config, blas: b, torchBlasLoaded: pairs[0]?.torch.blas, pairs: pairs.length,
      batchSize: Number(args.batch), images: Number(images),
      oursBackend: pairs[0]?.ours.backend, torchBackend: `${pairs[0]?.torch.backend}, ${args.threads} thread(s)`,
      params: { ours: pairs[0]?.ours.params, torch: pairs[0]?.torch.params },
      oursMedianImagesPerSec: Math.round(median(pairs.map((p) => p.ours.imagesPerSec))),
      torchMedianImagesPerSec: Math.round(median(pairs.map((p) => p.torch.imagesPerSec))),
      ratios: ratios.map(r2),
      medianRatio: r2(median(ratios)),
      medianCpuRatio: r2(median(pairs.map((p) => p.ours.imagesPerCpuSec / p.torch.imagesPerCpuSec))),
      goal,
      met: median(ratios) >= goal,
    }));
  }
}
