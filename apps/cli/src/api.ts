import { chmodSync, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';

import { z } from 'zod';

import { createHyperzooClient } from '@hyperzoo/client';
import type { HyperzooClient } from '@hyperzoo/client';
import { runFiltersToParams } from '@hyperzoo/schemas';
import type { TRunFilters } from '@hyperzoo/schemas';

import { loadCliEnv } from './env';
import type { TCliEnv } from './env';

const DEFAULT_API_URL = 'http://127.0.0.1:4000';

/** What `hz login` stores; read back by every command that calls the API. */
const ZUserConfig = z.object({ apiUrl: z.url().optional(), apiKey: z.string().min(1).optional() });
type TUserConfig = z.infer<typeof ZUserConfig>;

/** Flags a command that calls the API accepts (see `withApiOptions`). */
export interface TApiFlags {
  apiUrl?: string;
  apiKey?: string;
}

export function userConfigPath(env: TCliEnv = loadCliEnv()): string {
  return path.join(env.XDG_CONFIG_HOME ?? path.join(homedir(), '.config'), 'hyperzoo', 'config.json');
}

export function readUserConfig(file = userConfigPath()): TUserConfig {
  if (!existsSync(file)) return {};
  const parsed = ZUserConfig.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: not a hyperzoo config (${parsed.error.issues[0]?.message ?? 'invalid'}); run hz login again`);
  return parsed.data;
}

/** Mode 0600 (it holds a key), also when the file existed with looser permissions. */
export function writeUserConfig(config: TUserConfig, file = userConfigPath()): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

/** The API URL and key: flags first, then HZ_API_URL / HZ_API_KEY, then the file `hz login` wrote. */
export function resolveApi(flags: TApiFlags, env: TCliEnv = loadCliEnv()): { url: string; apiKey: string | null } {
  const file = flags.apiUrl && flags.apiKey ? {} : readUserConfig(userConfigPath(env));
  return {
    url: flags.apiUrl ?? env.HZ_API_URL ?? file.apiUrl ?? DEFAULT_API_URL,
    apiKey: flags.apiKey ?? env.HZ_API_KEY ?? file.apiKey ?? null,
  };
}

/** A client for a command; without a key anywhere it says how to get one. */
export function createApiClient(flags: TApiFlags): HyperzooClient {
  const { url, apiKey } = resolveApi(flags);
  if (!apiKey) throw new Error('no API key: run hz login, set HZ_API_KEY or pass --api-key');
  return createHyperzooClient({ url, apiKey });
}

/** The team a command acts on: --team, else the API key's own team. */
export async function resolveTeam(api: HyperzooClient, team: string | undefined): Promise<string> {
  if (team) return team;
  const me = await api.auth.me.query();
  const first = me.teams[0];
  if (!first) throw new Error('this key belongs to no team; pass --team');
  return first.slug;
}

/**
 * Streams GET /export/<kind>.<format> (the filtered runs or their epochs) to a file or stdout,
 * chunk by chunk: a million epochs never sit in memory.
 */
export async function streamExport(
  flags: TApiFlags,
  input: { teamSlug: string; kind: 'runs' | 'epochs'; format: 'csv' | 'json'; filters: Partial<TRunFilters> },
  out?: string,
): Promise<void> {
  const { url, apiKey } = resolveApi(flags);
  if (!apiKey) throw new Error('no API key: run hz login, set HZ_API_KEY or pass --api-key');
  const params = runFiltersToParams(input.filters);
  params.set('team', input.teamSlug);
  const res = await fetch(`${url}/export/${input.kind}.${input.format}?${params.toString()}`, { headers: { authorization: `Bearer ${apiKey}` } });
  if (!res.ok || !res.body) {
    const body = (await res.json().catch(() => null)) as { error?: string; issues?: { path: string; message: string }[] } | null;
    const issues = body?.issues?.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new Error(`export failed (${res.status}): ${body?.error ?? res.statusText}${issues ? `: ${issues}` : ''}`);
  }
  await pipeline(Readable.fromWeb(res.body as ReadableStream), out ? createWriteStream(out) : process.stdout);
}
