import { Command } from 'commander';

import { describeClientError } from '@hyperzoo/client';

import { registerCommands } from './commands';

const program = new Command('hz')
  .description('Hyperzoo: train, sweep and compare CNNs')
  .showHelpAfterError()
  .exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  const e = err as { code?: string; exitCode?: number; message?: string };
  if (e.code?.startsWith('commander.')) process.exit(e.exitCode ?? 1);
  // An API refusal reads as its code and zod issues (NOT_FOUND: run ... not found).
  console.error(`hz: ${describeClientError(err)}`);
  process.exit(1);
}
