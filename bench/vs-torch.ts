/**
 * Ours (tfjs wasm + our kernels, bench/train.ts) against the PyTorch CPU twin (bench/train_torch.py),
 * side by side on this machine: pairs run one after the other, the order flipping every pair,
 * so load that comes and goes hits both alike.
 *   npm run bench:vs-torch -- --arch lenet5,mlp --pairs 5 [--images N] [--threads 1] [--python /usr/bin/python3]
 * Each run is its own process (a warm-up, then one timed epoch). One JSON line per pair
 * (images/s of both, ratio = ours / PyTorch), then one summary line per arch with the medians.
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
  },
});

/** The targets: ours / PyTorch images per second. */
const GOALS: Record<string, number> = { mlp: 1, lenet5: 1, alexnet: 0.7, googlenet: 0.7, resnet: 0.7, transfer: 0.7 };

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const archs = args.arch === 'all' ? BENCH_ARCHS.map((a) => a.arch) : args.arch.split(',');
type TRun = { imagesPerSec: number; imagesPerCpuSec: number; params: number; backend: string };

function run(command: string, argv: string[]): TRun {
  const r = spawnSync(command, argv, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
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
  const ours = (): TRun => run(process.execPath, [join(root, 'node_modules/tsx/dist/cli.mjs'), 'bench/train.ts', ...common, '--backend', 'wasm', '--json']);
  const torch = (): TRun => run(args.python, ['bench/train_torch.py', ...common, '--threads', args.threads]);
  const pairs: Array<{ ours: TRun; torch: TRun }> = [];
  for (let pair = 1; pair <= Number(args.pairs); pair += 1) {
    const load = loadavg()[0] as number;
    const oursFirst = pair % 2 === 1;
    let a: TRun;
    let b: TRun;
    if (oursFirst) {
      a = ours();
      b = torch();
    } else {
      b = torch();
      a = ours();
    }
    pairs.push({ ours: a, torch: b });
    console.log(JSON.stringify({
      bench: 'vs-torch', arch, pair, first: oursFirst ? 'ours' : 'torch', loadAverage: r2(load), images: Number(images),
      oursImagesPerSec: a.imagesPerSec, torchImagesPerSec: b.imagesPerSec, ratio: r2(a.imagesPerSec / b.imagesPerSec),
      oursImagesPerCpuSec: a.imagesPerCpuSec, torchImagesPerCpuSec: b.imagesPerCpuSec, cpuRatio: r2(a.imagesPerCpuSec / b.imagesPerCpuSec),
    }));
  }
  const ratios = pairs.map((p) => p.ours.imagesPerSec / p.torch.imagesPerSec);
  const goal = GOALS[arch] ?? 0.7;
  console.log(JSON.stringify({
    bench: 'vs-torch', summary: true, arch, config: spec.config, pairs: pairs.length, batchSize: Number(args.batch), images: Number(images),
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
