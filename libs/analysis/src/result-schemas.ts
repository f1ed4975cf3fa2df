import { z } from 'zod';

import type { TStopOutcome } from './counterfactual';
import type { TGap } from './gap';
import type { TGroupSummary } from './groups';
import type { TKeepPatience, TRunAnalysis } from './run-analysis';
import type { TStat } from './stats';

// Output schemas for the API (procedures pick and check what they send); `satisfies` ties each to its type.
const num = z.number().nullable();
const epoch = z.number().int().min(1).nullable();
const count = z.number().int().min(0);

export const ZGap = z.object({ epoch: z.number().int(), loss: num, accuracy: num }) satisfies z.ZodType<TGap>;

export const ZStopOutcome = z.object({
  patience: count.nullable(),
  stoppedEpoch: epoch,
  epochsRun: count,
  bestEpoch: epoch,
  restoredEpoch: epoch,
  valueLast: num,
  valueRestored: num,
  epochsSaved: count,
  secondsSaved: num,
}) satisfies z.ZodType<TStopOutcome>;

export const ZKeepPatience = z.object({ patience: count, stoppedEpoch: epoch, epochsSaved: count, secondsSaved: num }) satisfies z.ZodType<TKeepPatience>;

export const ZRunAnalysis = z.object({
  monitor: z.string(),
  direction: z.enum(['min', 'max']),
  epochsRecorded: count,
  epochsRun: count,
  stoppedEpoch: epoch,
  bestEpoch: epoch,
  bestValue: num,
  bestValAccuracy: num,
  gapAtBest: z.object({ loss: num, accuracy: num }),
  onsetEpoch: epoch,
  keep99: ZKeepPatience.nullable(),
  counterfactual: z.array(ZStopOutcome),
  gaps: z.array(ZGap),
}) satisfies z.ZodType<TRunAnalysis>;

export const ZStat = z.object({ mean: num, sd: num, count }) satisfies z.ZodType<TStat>;

export const ZGroupSummary = z.object({
  key: z.string(),
  runs: count,
  paramCount: ZStat,
  bestValAccuracy: ZStat,
  bestEpoch: ZStat,
  lossGapAtBest: ZStat,
  accuracyGapAtBest: ZStat,
  onsetEpoch: ZStat,
  keep99: z.object({ patience: count.nullable(), epochsSaved: ZStat, secondsSaved: ZStat }),
}) satisfies z.ZodType<TGroupSummary>;
