import { curveFromRecords, summarizeCurve } from '@hyperzoo/analysis';
import type { Db } from '@hyperzoo/db';
import { fromEpochRow, ZMonitor } from '@hyperzoo/schemas';
import { z } from 'zod';

/** Only the monitor is read from a stored config; an old or odd config falls back to val_loss. */
const ZMonitorOfConfig = z.object({ earlyStopping: z.object({ monitor: ZMonitor }).nullable() });

/**
 * Stores a run's summary (best epoch and the values there, the gap, time, epochs) from its
 * recorded epochs. Called wherever a run ends (finish, cancel, prune, out of attempts), so
 * lists sort on columns instead of reading every run's epochs.
 */
export async function storeRunSummary(db: Db, runId: string): Promise<void> {
  const run = await db.run.findUnique({ where: { id: runId }, select: { bestEpoch: true, config: true } });
  if (!run) return;
  const epochs = await db.epochMetric.findMany({ where: { runId }, orderBy: { epoch: 'asc' } });
  const parsed = ZMonitorOfConfig.safeParse(run.config);
  const monitor = (parsed.success ? parsed.data.earlyStopping?.monitor : undefined) ?? 'val_loss';
  const summary = summarizeCurve(curveFromRecords(epochs.map(fromEpochRow)), { monitor, reportedBestEpoch: run.bestEpoch });
  await db.run.update({ where: { id: runId }, data: summary });
}
