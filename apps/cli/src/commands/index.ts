import type { Command } from 'commander';

import { registerAnalyzeCommand } from './analyze';
import { registerArtifactsCommands } from './artifacts';
import { registerDataCommands } from './data';
import { registerKeysCommands } from './keys';
import { registerLoginCommand } from './login';
import { registerRunsCommands } from './runs';
import { registerSyncCommand } from './sync';
import { registerTrainCommand } from './train';
import { registerZooCommands } from './zoo';

/** Each command module adds its sub-commands to the program; one line per module here. */
export function registerCommands(program: Command): void {
  registerAnalyzeCommand(program);
  registerArtifactsCommands(program);
  registerDataCommands(program);
  registerKeysCommands(program);
  registerLoginCommand(program);
  registerRunsCommands(program);
  registerSyncCommand(program);
  registerTrainCommand(program);
  registerZooCommands(program);
}
