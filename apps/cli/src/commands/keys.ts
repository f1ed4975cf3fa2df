import { type Command, InvalidArgumentError } from 'commander';

import { API_KEY_SCOPES, ZApiKeyScope } from '@hyperzoo/schemas';
import type { TApiKeyScope, TApiKeySummary } from '@hyperzoo/schemas';

import { createApiClient, resolveTeam } from '../api';
import type { TApiFlags } from '../api';
import { print, withApiOptions } from './api-options';

type TFlags = TApiFlags & { json?: boolean; team?: string };

const parseScopes = (value: string) =>
  value.split(',').map((s) => {
    const parsed = ZApiKeyScope.safeParse(s.trim());
    if (!parsed.success) throw new InvalidArgumentError(`unknown scope "${s}" (one of ${API_KEY_SCOPES.join(', ')})`);
    return parsed.data;
  });

const parseDays = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 3650) throw new InvalidArgumentError(`expected 1 to 3650 days, got "${value}"`);
  return n;
};

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '-');
const state = (k: TApiKeySummary) => (k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt <= new Date() ? 'expired' : 'active');
const formatKey = (k: TApiKeySummary) =>
  [k.id, `hz_${k.prefix}_…`, k.name, k.scopes.join(','), state(k), `last used ${day(k.lastUsedAt)}`, `expires ${day(k.expiresAt)}`].join('  ');

export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('your API keys in a team (an admin: all of the team’s)');

  withApiOptions(
    keys
      .command('create')
      .description('create a key of your own, at most your role (the key is shown once); after hz join, --team <slug> makes one for the team you joined'),
  )
    .requiredOption('--name <name>', 'what the key is for')
    .option('--scopes <list>', `comma-separated: ${API_KEY_SCOPES.join(', ')} (default: runs:read, and runs:write if your role allows)`, parseScopes)
    .option('--expires-in-days <n>', 'stop working after this many days', parseDays)
    .option('--team <slug>', 'team (default: the API key’s team)')
    .action(async (opts: TFlags & { name: string; scopes?: string[]; expiresInDays?: number }) => {
      const api = createApiClient(opts);
      const teamSlug = await resolveTeam(api, opts.team);
      const created = await api.keys.create.mutate({ teamSlug, name: opts.name, scopes: opts.scopes as TApiKeyScope[] | undefined, expiresInDays: opts.expiresInDays });
      print(opts.json, created, () => `${formatKey(created)}\n\n${created.key}\n\nkeep it now: it is not shown again`);
    });

  withApiOptions(keys.command('ls').description('list keys (prefixes only)'))
    .option('--team <slug>', 'team (default: the API key’s team)')
    .action(async (opts: TFlags) => {
      const api = createApiClient(opts);
      const list = await api.keys.list.query({ teamSlug: await resolveTeam(api, opts.team) });
      print(opts.json, list, () => (list.length ? list.map(formatKey).join('\n') : 'no keys'));
    });

  withApiOptions(keys.command('revoke').description('revoke a key (by id); it stops working on its next request'))
    .argument('<keyId>')
    .option('--team <slug>', 'team (default: the API key’s team)')
    .action(async (keyId: string, opts: TFlags) => {
      const api = createApiClient(opts);
      const key = await api.keys.revoke.mutate({ teamSlug: await resolveTeam(api, opts.team), keyId });
      print(opts.json, key, () => formatKey(key));
    });
}
