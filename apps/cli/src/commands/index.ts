import type { Command } from 'commander';

import { registerAnalyzeCommand } from './analyze';
import { registerArtifactsCommands } from './artifacts';
import { registerDataCommands } from './data';
import { registerKeysCommands } from './keys';
import { registerLeaderboardCommand } from './leaderboard';
import { registerLoginCommand } from './login';
import { registerPredictCommand } from './predict';
import { registerRunsCommands } from './runs';
import { registerSweepCommands } from './sweep';
import { registerSyncCommand } from './sync';
import { registerTeamsCommands } from './teams';
import { registerTrainCommand } from './train';
import { registerZooCommands } from './zoo';

/** Each command module adds its sub-commands to the program; one line per module here. */
export function registerCommands(program: Command): void {
  registerAnalyzeCommand(program);
  registerArtifactsCommands(program);
  registerDataCommands(program);
  registerKeysCommands(program);
  registerLeaderboardCommand(program);
  registerLoginCommand(program);
  registerPredictCommand(program);
  registerRunsCommands(program);
  registerSweepCommands(program);
  registerSyncCommand(program);
  registerTeamsCommands(program);
  registerTrainCommand(program);
  registerZooCommands(program);
}
