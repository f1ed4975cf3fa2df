// The real `hz` binary against the real API process (and Postgres, Redis).
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { auth } from '@hyperzoo/api-routers';
import { seedMember } from '@hyperzoo/api-routers/testing';
import { createHyperzooClient } from '@hyperzoo/client';
import type { HyperzooClient } from '@hyperzoo/client';

import { runHz, startApiProcess } from '../testing';
import type { TApiProcess } from '../testing';

let api: TApiProcess;
let client: HyperzooClient;
let home: string;
/** Each test's own config dir: what hz login wrote is all it knows. */
const envFor = (configHome: string) => ({ XDG_CONFIG_HOME: configHome });
const json = <T>(r: { status: number | null; stdout: string; stderr: string }): T => {
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
};

beforeAll(async () => {
  api = await startApiProcess();
  client = createHyperzooClient({ url: api.url, apiKey: api.seed.apiKey });
  home = mkdtempSync(path.join(tmpdir(), 'hz-cli-'));
}, 120_000);
afterAll(async () => {
  await api?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

// Each hz process starts through tsx (seconds on a busy 2-core machine): generous timeouts.
describe('hz login', { timeout: 180_000 }, () => {
  it('verifies the key with the API and stores it with the URL, mode 0600; a refused key stores nothing', () => {
    const cfg = path.join(home, 'login');
    const bad = runHz(['login', '--key', 'hz_nope_nope', '--api-url', api.url], envFor(cfg));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/refused the key: UNAUTHORIZED/);
    expect(existsSync(path.join(cfg, 'hyperzoo', 'config.json'))).toBe(false);

    const out = json<{ configFile: string; teams: { slug: string }[] }>(runHz(['login', '--key', api.seed.apiKey, '--api-url', api.url, '--json'], envFor(cfg)));
    expect(out.configFile).toBe(path.join(cfg, 'hyperzoo', 'config.json'));
    expect(out.teams[0]?.slug).toBe(api.seed.teamSlug);
    expect(statSync(out.configFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(out.configFile, 'utf8'))).toEqual({ apiUrl: api.url, apiKey: api.seed.apiKey });
  });

  it('asks for the key on stdin when --key is missing; later commands use the stored URL and key', () => {
    const cfg = path.join(home, 'prompt');
    expect(runHz(['login', '--api-url', api.url], envFor(cfg), `${api.seed.apiKey}\n`).status).toBe(0);
    expect(json<{ runs: unknown[] }>(runHz(['runs', 'ls', '--json'], envFor(cfg))).runs).toBeInstanceOf(Array);
    // A flag beats the file.
    const wrong = runHz(['runs', 'ls', '--json', '--api-key', 'hz_x_y'], envFor(cfg));
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/UNAUTHORIZED/);
    // Without a key anywhere, it says how to get one.
    expect(runHz(['runs', 'ls'], envFor(path.join(home, 'nothing'))).stderr).toMatch(/run hz login/);
  });
});

describe('hz runs', { timeout: 180_000 }, () => {
  const epochs = [1, 2, 3].map((epoch) => ({ epoch, loss: 1 / epoch, accuracy: 0.3 * epoch, val_loss: 1.2 / epoch, val_accuracy: null, lr: 0.001, duration_ms: 10, images_per_sec: 100 }));
  let sdkRunId: string;
  let queuedRunId: string;
  const env = () => ({ HZ_API_URL: api.url, HZ_API_KEY: api.seed.apiKey });

  beforeAll(async () => {
    sdkRunId = (await client.sdk.createRun.mutate({ teamSlug: api.seed.teamSlug, runId: crypto.randomUUID(), projectSlug: 'cli', name: 'from-a-notebook', config: { architecture: 'mlp', epochs: 3 } })).id;
    await client.sdk.logEpochs.mutate({ runId: sdkRunId, epochs });
    queuedRunId = (await client.runs.create.mutate({ teamSlug: api.seed.teamSlug, projectSlug: 'cli', config: { architecture: 'lenet5', epochs: 1 } })).id;
  });

  it('ls lists the team’s runs (env key), newest first, by project', () => {
    const page = json<{ runs: { id: string; name: string }[] }>(runHz(['runs', 'ls', '--project', 'cli', '--json'], env()));
    expect(page.runs.map((r) => r.id)).toEqual([queuedRunId, sdkRunId]);
    expect(runHz(['runs', 'ls', '--project', 'cli'], env()).stdout).toContain('from-a-notebook');
  });

  it('show gives the run with its config and epochs', () => {
    const run = json<{ id: string; config: { architecture: string }; epochs: unknown[] }>(runHz(['runs', 'show', sdkRunId, '--json'], env()));
    expect(run.config.architecture).toBe('mlp');
    expect(run.epochs).toHaveLength(3);
  });

  it('export writes the epochs as CSV (catalogue columns) or JSON', () => {
    const csv = runHz(['runs', 'export', sdkRunId, '--format', 'csv'], env());
    expect(csv.status, csv.stderr).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('epoch,phase,loss,accuracy,val_loss,val_accuracy,lr,duration_ms,images_per_sec');
    expect(lines.slice(1)).toEqual(epochs.map((e) => [e.epoch, 'train', e.loss, e.accuracy, e.val_loss, '', e.lr, e.duration_ms, e.images_per_sec].join(',')));
    const out = path.join(home, 'epochs.json');
    expect(runHz(['runs', 'export', sdkRunId, '--format', 'json', '--out', out], env()).status).toBe(0);
    expect((JSON.parse(readFileSync(out, 'utf8')) as { epochs: unknown[] }).epochs).toEqual(epochs.map((e) => ({ ...e, phase: 'train' })));
    expect(runHz(['runs', 'export', sdkRunId, '--format', 'xml'], env()).status).not.toBe(0);
  });

  it('compare shows the runs’ curves and the config keys that differ', () => {
    const out = json<{ runs: { id: string; curves: Record<string, { epochs: number[]; values: number[] }> }[]; configDiff: Record<string, unknown[]> }>(
      runHz(['runs', 'compare', sdkRunId, queuedRunId, '--metrics', 'loss,accuracy', '--json'], env()),
    );
    expect(out.runs.map((r) => r.id)).toEqual([sdkRunId, queuedRunId]);
    expect(out.runs[0]?.curves.loss).toEqual({ epochs: epochs.map((e) => e.epoch), values: epochs.map((e) => e.loss) });
    expect(out.configDiff.architecture).toEqual(['mlp', 'lenet5']);
    expect(runHz(['runs', 'compare', sdkRunId, '--metrics', 'f1'], env()).stderr).toMatch(/unknown metric "f1"/);
  });

  it('cancel cancels a queued run; an unknown run answers NOT_FOUND', () => {
    expect(json<{ status: string }>(runHz(['runs', 'cancel', queuedRunId, '--json'], env())).status).toBe('cancelled');
    const missing = runHz(['runs', 'show', crypto.randomUUID()], env());
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/NOT_FOUND/);
  });
});

describe('hz keys', { timeout: 180_000 }, () => {
  it('an admin key creates (shown once), lists and revokes keys; the revoked key is refused at once; a member key sees only its own', async () => {
    const admin = await auth.createApiKey(api.db.db, { teamId: api.seed.teamId, userId: api.seed.userId, name: 'admin', scopes: ['admin'] });
    const env = { HZ_API_URL: api.url, HZ_API_KEY: admin.key };
    const created = json<{ id: string; key: string; prefix: string; scopes: string[] }>(
      runHz(['keys', 'create', '--name', 'ci', '--scopes', 'runs:read', '--expires-in-days', '7', '--json'], env),
    );
    expect(created.scopes).toEqual(['runs:read']);
    expect(created.key.startsWith(`hz_${created.prefix}_`)).toBe(true);
    const keyEnv = { HZ_API_URL: api.url, HZ_API_KEY: created.key };
    expect(runHz(['runs', 'ls', '--json'], keyEnv).status).toBe(0);

    const listed = json<{ id: string; prefix: string; lastUsedAt: string | null }[]>(runHz(['keys', 'ls', '--json'], env));
    expect(listed.find((k) => k.id === created.id)).toMatchObject({ prefix: created.prefix });
    expect(listed.find((k) => k.id === created.id)?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(created.key);
    expect(runHz(['keys', 'ls'], env).stdout).toMatch(new RegExp(`hz_${created.prefix}_…  ci  runs:read  active`));

    expect(json<{ revokedAt: string | null }>(runHz(['keys', 'revoke', created.id, '--json'], env)).revokedAt).not.toBeNull();
    const refused = runHz(['runs', 'ls'], keyEnv);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/UNAUTHORIZED/);

    // Another member's key lists only that member's keys, and makes none above a member's.
    const { userId } = await seedMember(api.db.db, api.seed.teamId, 'member');
    const memberKey = await auth.createApiKey(api.db.db, { teamId: api.seed.teamId, userId, name: 'member', scopes: ['runs:write'] });
    const memberEnv = { HZ_API_URL: api.url, HZ_API_KEY: memberKey.key };
    expect(json<{ id: string }[]>(runHz(['keys', 'ls', '--json'], memberEnv)).map((k) => k.id)).toEqual([memberKey.id]);
    expect(runHz(['keys', 'create', '--name', 'up', '--scopes', 'admin'], memberEnv).stderr).toMatch(/FORBIDDEN/);
    expect(runHz(['keys', 'create', '--name', 'x', '--scopes', 'root'], env).stderr).toMatch(/unknown scope "root"/);
  });
});
