import { Command } from 'commander';
import { vi } from 'vitest';

/** Runs `hz <args>` with the given command module registered; returns what it printed. */
export async function runCli(register: (program: Command) => void, args: string[]): Promise<string> {
  const program = new Command('hz').exitOverride();
  register(program);
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  try {
    await program.parseAsync(['node', 'hz', ...args]);
    return log.mock.calls.map((c) => String(c[0])).join('\n');
  } finally {
    log.mockRestore();
  }
}
