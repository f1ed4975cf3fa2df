import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';

import { analyzeCurveText, CurveUsageError, formatCurveReport, parseCurveFlags, type TCurveFlags } from '@hyperzoo/analysis';
import { MONITORS } from '@hyperzoo/schemas';

import { createApiClient, type TApiFlags } from '../api';
import { formatSweepAnalysis } from './analyze-sweep';
import { print, withApiOptions } from './api-options';

function readCurveFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new CurveUsageError(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'a directory' : e.message}`);
  }
}

type TAnalyzeFlags = TCurveFlags & TApiFlags & { curve?: string; json?: boolean };

async function analyze(sweepId: string | undefined, flags: TAnalyzeFlags): Promise<void> {
  if ((sweepId === undefined) === (flags.curve === undefined)) throw new CurveUsageError('give a sweep id or --curve FILE (one of them)');
  if (flags.curve !== undefined) {
    const report = analyzeCurveText(readCurveFile(flags.curve), flags.curve, flags);
    console.log(flags.json ? JSON.stringify(report) : formatCurveReport(report));
    return;
  }
  const options = parseCurveFlags(flags);
  if (!z.uuid().safeParse(sweepId).success) throw new CurveUsageError(`"${sweepId}" is not a sweep id (a UUID, from hz sweep ls)`);
  const out = await createApiClient(flags).analysis.sweep.query({ sweepId: sweepId as string, options });
  print(flags.json, out, () => formatSweepAnalysis(out));
}

/**
 * `hz analyze <sweep-id>`: a sweep's runs per architecture with parameter importance (analysis.sweep);
 * `hz analyze --curve FILE`: one recorded curve, no platform needed. Logic in libs/analysis.
 */
export function registerAnalyzeCommand(program: Command): void {
  withApiOptions(
    program
      .command('analyze')
      .description('Best epoch, overfitting onset and counterfactual early stopping (every patience): of a sweep\'s runs per architecture, or of a recorded curve')
      .argument('[sweepId]', 'a sweep on the platform: a table per architecture and the parameters ranked by importance')
      .option('--curve <file>', 'instead of a sweep, JSON: a list of monitored values per epoch, a list of per-epoch objects (Keras names), or a Keras History.history')
      .option('--monitor <metric>', `${MONITORS.join(' | ')} (default val_loss)`)
      .option('--mode <mode>', 'auto | min | max (default auto: from the metric name)')
      .option('--patience <p>', 'apply this early stopping to the curve (default: none)')
      .option('--min-delta <d>', 'smallest change that counts as an improvement (default 0)')
      .option('--baseline <b>', 'Keras baseline: wait resets only once it is beaten')
      .option('--start-from-epoch <s>', 'do not monitor the first s epochs (default 0)')
      .option('--restore-best-weights', 'keep the best epoch\'s weights (the value kept, the 99% patience)'),
  ).action(async (sweepId: string | undefined, flags: TAnalyzeFlags) => {
    try {
      await analyze(sweepId, flags);
    } catch (err) {
      if (!(err instanceof CurveUsageError)) throw err;
      console.error(`hz analyze: ${err.message}`);
      process.exitCode = 2;
    }
  });
}
