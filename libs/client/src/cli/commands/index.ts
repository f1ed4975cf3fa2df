import type { Command } from 'commander';

/** Each command module adds its sub-commands to the program; one line per module here. */
export function registerCommands(_program: Command): void {
  // e.g. registerDataCommands(program);
}
