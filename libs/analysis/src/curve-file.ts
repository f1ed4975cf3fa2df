import JSON5 from 'json5';
import { z } from 'zod';

import { EPOCH_METRIC_NAMES, MONITORS, toIssues, type TEpochMetricName } from '@hyperzoo/schemas';

import { curveFromRecords, type TCurve, type TEpochRecord } from './curve';
import { ZAnalysisOptions, type TAnalysisOptions } from './options';
import { analyzeCurve, type TRunAnalysis } from './run-analysis';

// `hz analyze --curve FILE`: everything but reading the file and commander, so it runs anywhere.

/** Bad flags or a bad file: the CLI prints the message and exits 2. */
export class CurveUsageError extends Error {
  override name = 'CurveUsageError';
}

/** `hz analyze --curve` options as commander hands them over (strings, unparsed). */
export interface TCurveFlags {
  monitor?: string;
  mode?: string;
  patience?: string;
  minDelta?: string;
  baseline?: string;
  startFromEpoch?: string;
  restoreBestWeights?: boolean;
}

const FLAG_OF_PATH: Record<string, string> = {
  monitor: '--monitor',
  mode: '--mode',
  patience: '--patience',
  minDelta: '--min-delta',
  baseline: '--baseline',
  startFromEpoch: '--start-from-epoch',
};

/** 'abc' becomes NaN so zod reports it at the flag's path. */
const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : v.trim() === '' ? Number.NaN : Number(v));

/** Flags -> analysis options; errors name the flag. */
export function parseCurveFlags(flags: TCurveFlags): TAnalysisOptions {
  if (flags.monitor !== undefined && !(MONITORS as readonly string[]).includes(flags.monitor)) {
    throw new CurveUsageError(`unknown monitor "${flags.monitor}" (one of ${MONITORS.join(', ')})`);
  }
  const parsed = ZAnalysisOptions.safeParse({
    monitor: flags.monitor,
    mode: flags.mode,
    patience: num(flags.patience),
    minDelta: num(flags.minDelta),
    baseline: num(flags.baseline),
    startFromEpoch: num(flags.startFromEpoch),
    restoreBestWeights: flags.restoreBestWeights ?? false,
  });
  if (!parsed.success) {
    const issue = toIssues(parsed.error)[0];
    const path = issue?.path ?? '';
    throw new CurveUsageError(`invalid ${FLAG_OF_PATH[path] ?? path}: ${issue?.message}`);
  }
  return parsed.data;
}

// JSON5 reads NaN and Infinity, which Python's json.dump writes for a Keras history; zod's number refuses them.
const ZValue = z.custom<number | null>((v) => v === null || typeof v === 'number', { message: 'expected a number, NaN, Infinity or null' });
const ZRecord = z.object({
  epoch: z.number().int().min(1).optional(),
  ...Object.fromEntries(EPOCH_METRIC_NAMES.map((name) => [name, ZValue.optional()])),
});
/** A list of values, a list of per-epoch objects (Keras names), or Keras' History.history (name -> list). */
const ZCurveFile = z.union([
  z.array(ZValue),
  z.array(ZRecord),
  z.record(z.string(), z.array(ZValue)),
]);

const describePath = (path: string) => (path ? `[${path.split('.').join('][')}]` : '');

/** Reads a curve file's text; `name` is how errors call it. */
export function parseCurveText(text: string, name: string, monitor: TEpochMetricName): TCurve {
  let json: unknown;
  try {
    json = JSON5.parse(text);
  } catch (err) {
    throw new CurveUsageError(`${name} is not valid JSON: ${(err as Error).message.replace(/^JSON5: /, '')}`);
  }
  const parsed = ZCurveFile.safeParse(json);
  if (!parsed.success) {
    throw new CurveUsageError(
      `${name} must be a JSON array of ${monitor} values, an array of per-epoch objects with Keras names (loss, val_loss...), or {"name": [values]}; ` +
        `got ${Array.isArray(json) ? 'an array with other elements' : json === null ? 'null' : typeof json}`,
    );
  }
  const data = parsed.data;
  let records: TEpochRecord[];
  if (Array.isArray(data)) {
    records = data.map((item) => (item === null || typeof item === 'number' ? { [monitor]: item } : (item as TEpochRecord)));
    checkEpochNumbers(records, name);
  } else {
    const lengths = new Set(Object.values(data).map((v) => v.length));
    if (lengths.size > 1) throw new CurveUsageError(`${name}: the metric lists have different lengths (${[...lengths].join(', ')})`);
    const n = Object.values(data)[0]?.length ?? 0;
    records = Array.from({ length: n }, (_, i) => Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v[i]])) as TEpochRecord);
  }
  if (records.length === 0) throw new CurveUsageError(`${name} has no epochs (an empty array)`);
  const curve = curveFromRecords(records);
  if (!curve.metrics[monitor]) {
    const has = Object.keys(curve.metrics);
    throw new CurveUsageError(`${name} has no ${monitor} values (${has.length ? `it has ${has.join(', ')}` : 'no metric of the catalogue at all'}); pick one with --monitor`);
  }
  return curve;
}

function checkEpochNumbers(records: readonly TEpochRecord[], name: string): void {
  let previous = 0;
  for (const [i, r] of records.entries()) {
    if (r.epoch === undefined) continue;
    if (r.epoch <= previous) throw new CurveUsageError(`${name}${describePath(String(i))}.epoch: epochs must increase (${r.epoch} after ${previous})`);
    previous = r.epoch;
  }
}

/** The one JSON object `hz analyze --curve --json` prints. */
export type TCurveReport = TRunAnalysis & { options: TAnalysisOptions };

export function analyzeCurveText(text: string, name: string, flags: TCurveFlags): TCurveReport {
  const options = parseCurveFlags(flags);
  const curve = parseCurveText(text, name, options.monitor);
  return { ...analyzeCurve(curve, options), options };
}

const show = (x: number | null, digits = 4) => (x === null ? '-' : Number.isInteger(x) ? String(x) : x.toFixed(digits));

/** The human-readable form: a summary, then the counterfactual table. */
export function formatCurveReport(r: TCurveReport): string {
  const es = r.options.patience === null ? 'no early stopping' : `patience ${r.options.patience}: ${r.stoppedEpoch === null ? 'never stops' : `stops after epoch ${r.stoppedEpoch}`}`;
  const lines = [
    `${r.monitor} (${r.direction}), ${r.epochsRecorded} epochs recorded; ${es}`,
    `epochs run ${r.epochsRun}, best epoch ${show(r.bestEpoch)} (${r.monitor} ${show(r.bestValue)}), overfitting onset ${r.onsetEpoch === null ? 'none' : `after epoch ${r.onsetEpoch}`}`,
    `gap at best: val_loss - loss ${show(r.gapAtBest.loss)}, accuracy - val_accuracy ${show(r.gapAtBest.accuracy)}`,
    r.keep99
      ? `99% of the best ${r.monitor} kept from patience ${r.keep99.patience}: ${r.keep99.epochsSaved} epochs saved${r.keep99.secondsSaved === null ? '' : ` (${r.keep99.secondsSaved.toFixed(1)} s)`}`
      : `no patience keeps 99% of the best ${r.monitor}`,
    '',
  ];
  const header = ['patience', 'stops after', 'best', 'kept', 'kept (restore best)', 'epochs saved', 'seconds saved'];
  const rows = r.counterfactual.map((c) => [
    c.stoppedEpoch === null ? `>= ${c.patience}` : String(c.patience),
    c.stoppedEpoch === null ? 'never' : String(c.stoppedEpoch),
    show(c.bestEpoch),
    show(c.valueLast),
    show(c.valueRestored),
    String(c.epochsSaved),
    c.secondsSaved === null ? '-' : c.secondsSaved.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [...lines, line(header), ...rows.map(line)].join('\n');
}
