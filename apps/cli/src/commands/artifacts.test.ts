// `hz artifacts ls|get` against the real API process: what a worker uploaded comes back verified.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createHyperzooClient } from '@hyperzoo/client';
import { createArtifactClient } from '@hyperzoo/client/artifacts';

import { runCli, startApiProcess } from '../testing';
import type { TApiProcess } from '../testing';
import { registerArtifactsCommands } from './artifacts';

let api: TApiProcess;
let work: string;
let runId: string;
let sha256: string;

beforeAll(async () => {
  api = await startApiProcess();
  work = mkdtempSync(path.join(tmpdir(), 'hz-cli-artifacts-'));
  const client = createHyperzooClient({ url: api.url, apiKey: api.seed.apiKey });
  runId = (await client.runs.create.mutate({ teamSlug: api.seed.teamSlug, config: { architecture: 'mlp', epochs: 2 } })).id;
  const workerApi = createHyperzooClient({ url: api.url, apiKey: api.seed.workerToken });
  const { attempt } = await workerApi.worker.startRun.mutate({ runId, backend: 'wasm', device: 'test' });
  const dir = path.join(work, 'epoch-0002');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'model.json'), '{"format":"layers-model"}');
  writeFileSync(path.join(dir, 'weights.bin'), Buffer.alloc(1000, 2));
  ({ sha256 } = await createArtifactClient({ url: api.url, apiKey: api.seed.workerToken }).upload({ runId, attempt, kind: 'checkpoint', epoch: 2, dir }));
}, 120_000);
afterAll(async () => {
  await api?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const flags = () => ['--api-url', api.url, '--api-key', api.seed.apiKey];

describe('hz artifacts', () => {
  it('ls lists what the run uploaded', async () => {
    const out = JSON.parse(await runCli(registerArtifactsCommands, ['artifacts', 'ls', runId, '--json', ...flags()])) as { kind: string; epoch: number; sha256: string }[];
    expect(out).toMatchObject([{ kind: 'checkpoint', epoch: 2, sha256 }]);
    expect(await runCli(registerArtifactsCommands, ['artifacts', 'ls', runId, ...flags()])).toMatch(new RegExp(`checkpoint\\s+2\\s+\\d+ B\\s+${sha256}`));
  });

  it('get downloads latest into a directory, verified', async () => {
    const out = path.join(work, 'got');
    const printed = JSON.parse(await runCli(registerArtifactsCommands, ['artifacts', 'get', runId, '--out', out, '--json', ...flags()])) as { dir: string; epoch: number; sha256: string };
    expect(printed).toEqual({ dir: out, epoch: 2, sha256 });
    expect(readFileSync(path.join(out, 'weights.bin'))).toEqual(Buffer.alloc(1000, 2));
  });

  it('says so when there is nothing to get, and refuses an unknown kind', async () => {
    await expect(runCli(registerArtifactsCommands, ['artifacts', 'get', runId, 'model', '--out', path.join(work, 'none'), ...flags()])).rejects.toThrow(/has no model artifact/);
    await expect(runCli(registerArtifactsCommands, ['artifacts', 'get', runId, 'weights', ...flags()])).rejects.toThrow(/expected latest, checkpoint, best or model/);
  });
});
