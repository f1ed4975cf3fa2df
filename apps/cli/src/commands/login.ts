import { createInterface } from 'node:readline/promises';

import type { Command } from 'commander';

import { createHyperzooClient, describeClientError } from '@hyperzoo/client';

import { readUserConfig, resolveApi, userConfigPath, writeUserConfig } from '../api';
import type { TApiFlags } from '../api';
import { print, withApiOptions } from './api-options';

async function askForKey(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question('API key (hz_...): ')).trim();
  } finally {
    rl.close();
  }
}

export function registerLoginCommand(program: Command): void {
  withApiOptions(program.command('login').description('verify an API key and store it (with the API URL) in your hyperzoo config file'))
    .option('--key <key>', 'the key (asked for when missing)')
    .action(async (opts: TApiFlags & { key?: string; json?: boolean }) => {
      const key = opts.key ?? opts.apiKey ?? (await askForKey());
      if (!key) throw new Error('no key given');
      const { url } = resolveApi({ apiUrl: opts.apiUrl, apiKey: key });
      const me = await createHyperzooClient({ url, apiKey: key })
        .auth.me.query()
        .catch((err: unknown) => {
          throw new Error(`the API at ${url} refused the key: ${describeClientError(err)}`);
        });
      const file = userConfigPath();
      writeUserConfig({ ...readUserConfig(file), apiUrl: url, apiKey: key }, file);
      const team = me.teams[0];
      print(opts.json, { apiUrl: url, configFile: file, teams: me.teams }, () => `logged in to ${url}${team ? ` (team ${team.slug}, ${team.role})` : ''}; key stored in ${file}`);
    });
}
