-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "bestAccuracy" DOUBLE PRECISION,
ADD COLUMN     "bestLoss" DOUBLE PRECISION,
ADD COLUMN     "bestValAccuracy" DOUBLE PRECISION,
ADD COLUMN     "bestValLoss" DOUBLE PRECISION,
ADD COLUMN     "deletedAt" TIMESTAMP(3),
ADD COLUMN     "durationMs" DOUBLE PRECISION,
ADD COLUMN     "epochsDone" INTEGER,
ADD COLUMN     "gapAccuracy" DOUBLE PRECISION,
ADD COLUMN     "gapLoss" DOUBLE PRECISION,
ADD COLUMN     "notes" TEXT,
ADD COLUMN     "pinnedAt" TIMESTAMP(3),
ADD COLUMN     "tags" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateIndex
CREATE INDEX "Run_dataset_idx" ON "Run"("dataset");

-- CreateIndex
CREATE INDEX "Run_tags_idx" ON "Run" USING GIN ("tags");

-- CreateIndex
CREATE INDEX "Run_config_idx" ON "Run" USING GIN ("config" jsonb_path_ops);

-- CreateIndex
CREATE INDEX "Run_createdAt_id_idx" ON "Run"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Run_bestValAccuracy_id_idx" ON "Run"("bestValAccuracy", "id");

-- CreateIndex
CREATE INDEX "Run_bestValLoss_id_idx" ON "Run"("bestValLoss", "id");

-- CreateIndex
CREATE INDEX "Run_bestAccuracy_id_idx" ON "Run"("bestAccuracy", "id");

-- CreateIndex
CREATE INDEX "Run_bestLoss_id_idx" ON "Run"("bestLoss", "id");

-- CreateIndex
CREATE INDEX "Run_gapLoss_id_idx" ON "Run"("gapLoss", "id");

-- CreateIndex
CREATE INDEX "Run_gapAccuracy_id_idx" ON "Run"("gapAccuracy", "id");

-- CreateIndex
CREATE INDEX "Run_testAccuracy_id_idx" ON "Run"("testAccuracy", "id");

-- CreateIndex
CREATE INDEX "Run_testLoss_id_idx" ON "Run"("testLoss", "id");

-- CreateIndex
CREATE INDEX "Run_paramCount_id_idx" ON "Run"("paramCount", "id");

-- CreateIndex
CREATE INDEX "Run_durationMs_id_idx" ON "Run"("durationMs", "id");

-- CreateIndex
CREATE INDEX "Run_epochsDone_id_idx" ON "Run"("epochsDone", "id");

-- CreateIndex
CREATE INDEX "Run_bestEpoch_id_idx" ON "Run"("bestEpoch", "id");


-- Backfill the summary of runs that ended before this migration.
-- Best epoch: the one the run reported, else the first epoch holding the lowest val_loss,
-- which is what libs/analysis findBestEpoch gives for val_loss with min_delta 0.
-- Gap as libs/analysis findGaps: val_loss - loss and accuracy - val_accuracy.
WITH agg AS (
  SELECT e."runId", count(*)::int AS n, sum(e."durationMs") AS ms
  FROM "EpochMetric" e GROUP BY e."runId"
), lowest AS (
  SELECT DISTINCT ON (e."runId") e."runId", e."epoch"
  FROM "EpochMetric" e WHERE e."valLoss" IS NOT NULL
  ORDER BY e."runId", e."valLoss" ASC, e."epoch" ASC
), best AS (
  SELECT r."id", coalesce(r."bestEpoch", l."epoch") AS epoch
  FROM "Run" r LEFT JOIN lowest l ON l."runId" = r."id"
  WHERE r."status" NOT IN ('queued', 'running')
)
UPDATE "Run" r SET
  "bestEpoch" = b.epoch,
  "bestValAccuracy" = e."valAccuracy",
  "bestValLoss" = e."valLoss",
  "bestAccuracy" = e."accuracy",
  "bestLoss" = e."loss",
  "gapLoss" = e."valLoss" - e."loss",
  "gapAccuracy" = e."accuracy" - e."valAccuracy",
  "durationMs" = a.ms,
  "epochsDone" = coalesce(a.n, 0)
FROM best b
LEFT JOIN agg a ON a."runId" = b."id"
LEFT JOIN "EpochMetric" e ON e."runId" = b."id" AND e."epoch" = b.epoch
WHERE r."id" = b."id";
