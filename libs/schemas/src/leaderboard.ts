import { z } from 'zod';

import { ZDatasetName } from './run-config';

/** What a leaderboard ranks by; a test metric falls back to its validation twin at the best epoch where the run has no test result. */
export const LEADERBOARD_METRICS = {
  test_accuracy: { column: 'testAccuracy', fallback: 'bestValAccuracy', better: 'max' },
  test_loss: { column: 'testLoss', fallback: 'bestValLoss', better: 'min' },
  val_accuracy: { column: 'bestValAccuracy', fallback: null, better: 'max' },
  val_loss: { column: 'bestValLoss', fallback: null, better: 'min' },
} as const;
export type TLeaderboardMetric = keyof typeof LEADERBOARD_METRICS;

export const ZLeaderboardInput = z.object({
  dataset: ZDatasetName,
  /** One row per architecture (its best run, or its pinned one) or one per run. */
  by: z.enum(['architecture', 'run']).default('architecture'),
  metric: z.enum(Object.keys(LEADERBOARD_METRICS) as [TLeaderboardMetric, ...TLeaderboardMetric[]]).default('test_accuracy'),
  limit: z.number().int().min(1).max(200).default(50),
});

export const ZLeaderboardRow = z.object({
  rank: z.number().int(),
  runId: z.string(),
  name: z.string(),
  architecture: z.string(),
  /** The ranked value, and whether it is the test metric or its validation fallback. */
  score: z.number().nullable(),
  scoreFrom: z.enum(['test', 'validation']).nullable(),
  testAccuracy: z.number().nullable(),
  bestValAccuracy: z.number().nullable(),
  gapLoss: z.number().nullable(),
  gapAccuracy: z.number().nullable(),
  paramCount: z.number().int().nullable(),
  bestEpoch: z.number().int().nullable(),
  pinned: z.boolean(),
  /** by architecture: how many ranked runs the architecture has. */
  runs: z.number().int(),
});
export type TLeaderboardRow = z.infer<typeof ZLeaderboardRow>;

export const ZLeaderboard = z.object({ dataset: ZDatasetName, by: z.enum(['architecture', 'run']), metric: z.string(), rows: z.array(ZLeaderboardRow) });
