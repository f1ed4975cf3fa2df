import type { Command } from 'commander';

import { formatPreview, previewSpecFile, SweepUsageError } from './sweep-spec';

/** Bad input exits 2 with the reason on stderr; API refusals go to main's handler (exit 1). */
async function usage(action: () => Promise<void> | void): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (!(err instanceof SweepUsageError)) throw err;
    console.error(`hz sweep: ${err.message}`);
    process.exitCode = 2;
  }
}

export function registerSweepCommands(program: Command): void {
  const sweep = program.command('sweep').description('sweeps: many runs from one spec (examples/sweeps)');

  sweep
    .command('preview')
    .description('check a spec and show what it would run (no server needed)')
    .requiredOption('-f, --file <spec.yaml>', 'the sweep spec (YAML or JSON)')
    .option('--json', 'print one JSON object')
    .action((opts: { file: string; json?: boolean }) =>
      usage(() => {
        const { preview } = previewSpecFile(opts.file);
        console.log(opts.json ? JSON.stringify(preview) : formatPreview(preview));
      }),
    );
}
