import path from 'node:path';

import { type Command, InvalidArgumentError } from 'commander';

import { createArtifactClient } from '@hyperzoo/client/artifacts';
import { ZArtifactSelector } from '@hyperzoo/schemas';
import type { TArtifactSelector } from '@hyperzoo/schemas';

import { createApiClient, resolveApi } from '../api';
import type { TApiFlags } from '../api';
import { print, withApiOptions } from './api-options';

type TFlags = TApiFlags & { json?: boolean };

const parseSelector = (value: string): TArtifactSelector => {
  const r = ZArtifactSelector.safeParse(value);
  if (!r.success) throw new InvalidArgumentError(`expected latest, checkpoint, best or model, got "${value}"`);
  return r.data;
};

const parseEpoch = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected an epoch (1 or more), got "${value}"`);
  return n;
};

export function registerArtifactsCommands(program: Command): void {
  const artifacts = program.command('artifacts').description('a run’s checkpoints and model, through the API');

  withApiOptions(artifacts.command('ls').description('list a run’s artifacts'))
    .argument('<runId>')
    .action(async (runId: string, opts: TFlags) => {
      const list = await createApiClient(opts).artifacts.list.query({ runId });
      print(opts.json, list, () =>
        list.length
          ? list.map((a) => [a.kind.padEnd(10), String(a.epoch ?? '-').padStart(5), `${a.bytes} B`.padStart(12), a.sha256, a.createdAt.toISOString()].join('  ')).join('\n')
          : 'no artifacts',
      );
    });

  withApiOptions(artifacts.command('get').description('download an artifact (verified by its SHA-256) into a directory'))
    .argument('<runId>')
    .argument('[kind]', 'latest (newest checkpoint), checkpoint, best or model', parseSelector, 'latest' as TArtifactSelector)
    .option('--epoch <n>', 'with kind checkpoint: this epoch', parseEpoch)
    .option('--out <dir>', 'where to put the files (default: ./<runId>-<kind>)')
    .action(async (runId: string, kind: TArtifactSelector, opts: TFlags & { epoch?: number; out?: string }) => {
      const { url, apiKey } = resolveApi(opts);
      if (!apiKey) throw new Error('no API key: run hz login, set HZ_API_KEY or pass --api-key');
      const dest = path.resolve(opts.out ?? `${runId}-${kind}`);
      const got = await createArtifactClient({ url, apiKey }).download({ runId, selector: kind, epoch: opts.epoch, dest });
      if (!got) throw new Error(`run ${runId} has no ${kind} artifact (or no such run in your team)`);
      print(opts.json, { dir: dest, ...got }, () => `${dest}  (${kind}${got.epoch === null ? '' : ` epoch ${got.epoch}`}, sha256 ${got.sha256})`);
    });
}
