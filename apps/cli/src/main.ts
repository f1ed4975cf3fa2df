import { Command } from 'commander';

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
  console.error(`hz: ${e.message ?? String(err)}`);
  process.exit(1);
}
