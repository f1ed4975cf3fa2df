import { readFileSync } from 'node:fs';
import type { Command } from 'commander';

import { analyzeCurveText, CurveUsageError, formatCurveReport, type TCurveFlags } from '@hyperzoo/analysis';
import { MONITORS } from '@hyperzoo/schemas';

function readCurveFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new CurveUsageError(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'a directory' : e.message}`);
  }
}

/** `hz analyze --curve FILE`: overfitting numbers of a recorded curve, no platform needed (logic in libs/analysis). */
export function registerAnalyzeCommand(program: Command): void {
  program
    .command('analyze')
    .description('Best epoch, overfitting onset and counterfactual early stopping (every patience) of a recorded curve')
    .requiredOption('--curve <file>', 'JSON: a list of monitored values per epoch, a list of per-epoch objects (Keras names), or a Keras History.history')
    .option('--monitor <metric>', `${MONITORS.join(' | ')} (default val_loss)`)
    .option('--mode <mode>', 'auto | min | max (default auto: from the metric name)')
    .option('--patience <p>', 'apply this early stopping to the curve (default: none)')
    .option('--min-delta <d>', 'smallest change that counts as an improvement (default 0)')
    .option('--baseline <b>', 'Keras baseline: wait resets only once it is beaten')
    .option('--start-from-epoch <s>', 'do not monitor the first s epochs (default 0)')
    .option('--restore-best-weights', 'keep the best epoch\'s weights (the value kept, the 99% patience)')
    .option('--json', 'print one JSON object')
    .action((flags: TCurveFlags & { curve: string; json?: boolean }) => {
      try {
        const report = analyzeCurveText(readCurveFile(flags.curve), flags.curve, flags);
        console.log(flags.json ? JSON.stringify(report) : formatCurveReport(report));
      } catch (err) {
        if (!(err instanceof CurveUsageError)) throw err;
        console.error(`hz analyze: ${err.message}`);
        process.exitCode = 2;
      }
    });
}
