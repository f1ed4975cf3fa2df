import {
  ARCHITECTURES,
  ZActivation,
  ZArchitecture,
  type TActivation,
  type TArchitecture,
  ZOO_CATALOG,
} from '@hyperzoo/schemas';
import {
  KNOWN_BACKBONES,
  buildModel,
  formatModelSummary,
  initBackend,
  loadBackbone,
  summarizeModel,
  type TZooOptionsMap,
} from '@hyperzoo/models';
import { type Command, InvalidArgumentError } from 'commander';

const parsePositive = (value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return n;
};
const parseInteger = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`expected a non-negative integer, got "${value}"`);
  return n;
};
const parseDepth = (value: string): number[] => {
  const parts = value.split(',').map((p) => Number(p.trim()));
  if (parts.length === 0 || parts.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new InvalidArgumentError(`expected blocks per stage like 2,2,2,2, got "${value}"`);
  }
  return parts;
};
const parseActivation = (value: string): TActivation => {
  const parsed = ZActivation.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(`unknown activation "${value}" (one of ${ZActivation.options.join(', ')})`);
  return parsed.data;
};

interface SummaryOptions {
  input?: number;
  channels: number;
  classes: number;
  width?: number;
  depth?: number[];
  resize?: number;
  stem?: string;
  activation?: TActivation;
  denseActivation?: TActivation;
  dropout?: number;
  seed: number;
  backbone?: string;
  allowedRoot: string[];
  featureLayer?: string;
  json?: boolean;
}

/** Only the options the user gave; each builder's zod schema rejects the ones it does not take. */
function builderOptions(opts: SummaryOptions): Record<string, unknown> {
  const given = {
    width: opts.width,
    depth: opts.depth,
    resize: opts.resize,
    stem: opts.stem,
    activation: opts.activation,
    denseActivation: opts.denseActivation,
    dropout: opts.dropout,
  };
  return Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined));
}

function formatList(): string {
  const width = Math.max(...ARCHITECTURES.map((a) => a.length));
  const lines = ZOO_CATALOG.map((e) => `${e.arch.padEnd(width)}  ${e.description}\n${' '.repeat(width)}  options: ${e.knobs.join(', ')}`);
  const backbones = Object.entries(KNOWN_BACKBONES).map(
    ([name, b]) => `  ${name.padEnd(10)} ${b.inputShape.join('x')}, preprocessing '${b.preprocessing}', features at ${b.featureLayer}`,
  );
  return [...lines, '', 'Known pretrained backbones for transfer (pass their converted tfjs directory or URL with --backbone):', ...backbones].join('\n');
}

/** `hz zoo list` and `hz zoo summary <arch>`: the CNN zoo's architectures and their layers. */
export function registerZooCommands(program: Command): void {
  const zoo = program.command('zoo').description('The CNN zoo: architectures, layers and parameter counts');
  zoo
    .command('list')
    .description('List the architectures of the zoo and the known pretrained backbones')
    .option('--json', 'print one JSON object')
    .action((opts: { json?: boolean }) => {
      const backbones = Object.entries(KNOWN_BACKBONES).map(([name, b]) => ({ name, ...b }));
      console.log(opts.json ? JSON.stringify({ architectures: ZOO_CATALOG, backbones }) : formatList());
    });

  zoo
    .command('summary')
    .description('Build an architecture and print its layers, output shapes and parameter counts')
    .argument('<arch>', `one of ${ARCHITECTURES.join(', ')}`, (v: string) => {
      const parsed = ZArchitecture.safeParse(v);
      if (!parsed.success) throw new InvalidArgumentError(`unknown architecture "${v}" (one of ${ARCHITECTURES.join(', ')})`);
      return parsed.data;
    })
    .option('--input <n>', 'input height and width (default 28; transfer: the backbone input)', parseInteger)
    .option('--channels <c>', 'input channels', parseInteger, 1)
    .option('--classes <k>', 'output classes', parseInteger, 10)
    .option('--width <w>', 'width multiplier', parsePositive)
    .option('--depth <list>', 'resnet: blocks per stage, e.g. 2,2,2,2', parseDepth)
    .option('--resize <s>', 'alexnet: resize to S x S first (default 227)', parseInteger)
    .option('--stem <stem>', 'googlenet/resnet: auto | imagenet | small')
    .option('--activation <name>', 'conv/hidden activation', parseActivation)
    .option('--dense-activation <name>', 'lenet5/alexnet: dense-head activation', parseActivation)
    .option('--dropout <rate>', 'dropout rate', Number)
    .option('--seed <n>', 'initializer seed', parseInteger, 42)
    .option('--backbone <dir|url>', 'transfer: a model directory, file:// or http(s):// URL of a tfjs layers model')
    .option('--allowed-root <dir>', 'transfer: a root the backbone path must stay inside (repeatable; default the current directory)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--feature-layer <name>', 'transfer: cut the backbone at this layer')
    .option('--json', 'print one JSON object')
    .action(async (arch: TArchitecture, opts: SummaryOptions) => {
      await initBackend('cpu');
      const side = opts.input ?? 28;
      const inputShape: [number, number, number] = [side, side, opts.channels];
      const common = { classes: opts.classes, seed: opts.seed, ...(opts.input !== undefined || arch !== 'transfer' ? { inputShape } : {}) };
      let options: TZooOptionsMap[TArchitecture];
      if (arch === 'transfer') {
        if (!opts.backbone) throw new Error('zoo summary transfer: --backbone <dir|url> is required');
        const roots = opts.allowedRoot.length > 0 ? opts.allowedRoot : [process.cwd()];
        // On the user's own machine the URL they type is theirs to allow.
        const backbone = await loadBackbone(opts.backbone, { allowedRoots: roots, allowedUrls: /^https?:\/\//i.test(opts.backbone) ? [opts.backbone] : [] });
        options = { ...common, ...builderOptions(opts), backbone, ...(opts.featureLayer ? { featureLayer: opts.featureLayer } : {}) };
      } else {
        if (opts.featureLayer) throw new Error('--feature-layer applies to transfer only');
        options = { ...common, ...builderOptions(opts) } as TZooOptionsMap[TArchitecture];
      }
      const model = buildModel(arch, options);
      try {
        const summary = summarizeModel(model);
        console.log(opts.json ? JSON.stringify({ arch, ...summary }) : formatModelSummary(summary));
      } finally {
        model.dispose();
      }
    });
}
