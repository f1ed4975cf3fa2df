import type { Command } from 'commander';

/** The options of every command that calls the API. */
export function withApiOptions(cmd: Command): Command {
  return cmd
    .option('--api-url <url>', 'API URL (default: HZ_API_URL, then the one hz login stored)')
    .option('--api-key <key>', 'API key (default: HZ_API_KEY, then the one hz login stored)')
    .option('--json', 'print JSON');
}

/** Prints JSON (--json) or the human form. */
export function print(json: boolean | undefined, value: unknown, human: () => string): void {
  console.log(json ? JSON.stringify(value) : human());
}
