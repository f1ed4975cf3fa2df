-- CreateEnum
CREATE TYPE "SweepGoal" AS ENUM ('maximize', 'minimize');

-- AlterEnum
BEGIN;
CREATE TYPE "SweepStatus_new" AS ENUM ('running', 'paused', 'finished', 'cancelled');
ALTER TABLE "Sweep" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "Sweep" ALTER COLUMN "status" TYPE "SweepStatus_new" USING ("status"::text::"SweepStatus_new");
ALTER TYPE "SweepStatus" RENAME TO "SweepStatus_old";
ALTER TYPE "SweepStatus_new" RENAME TO "SweepStatus";
DROP TYPE "SweepStatus_old";
ALTER TABLE "Sweep" ALTER COLUMN "status" SET DEFAULT 'running';
COMMIT;

-- AlterEnum
BEGIN;
CREATE TYPE "SweepMethod_new" AS ENUM ('grid', 'random', 'tpe');
ALTER TABLE "Sweep" ALTER COLUMN "method" TYPE "SweepMethod_new" USING ("method"::text::"SweepMethod_new");
ALTER TYPE "SweepMethod" RENAME TO "SweepMethod_old";
ALTER TYPE "SweepMethod_new" RENAME TO "SweepMethod";
DROP TYPE "SweepMethod_old";
COMMIT;

-- DropIndex
DROP INDEX "Run_sweepId_idx";

-- AlterTable
ALTER TABLE "Sweep" ADD COLUMN     "bestRunId" UUID,
ADD COLUMN     "bestValue" DOUBLE PRECISION,
ADD COLUMN     "finishedAt" TIMESTAMP(3),
ADD COLUMN     "idempotencyKey" TEXT,
ADD COLUMN     "maxConcurrent" INTEGER NOT NULL,
ADD COLUMN     "maxRuns" INTEGER NOT NULL,
ADD COLUMN     "metricGoal" "SweepGoal" NOT NULL,
ADD COLUMN     "metricName" TEXT NOT NULL,
ADD COLUMN     "pendingReruns" UUID[] DEFAULT ARRAY[]::UUID[],
ADD COLUMN     "seed" INTEGER NOT NULL,
ADD COLUMN     "summary" JSONB;

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "configuration" INTEGER,
ADD COLUMN     "params" JSONB,
ADD COLUMN     "prunedCutoff" DOUBLE PRECISION,
ADD COLUMN     "prunedRung" INTEGER,
ADD COLUMN     "repeat" INTEGER,
ADD COLUMN     "rungValues" DOUBLE PRECISION[] DEFAULT ARRAY[]::DOUBLE PRECISION[],
ADD COLUMN     "sweepPosition" INTEGER;

-- CreateIndex
CREATE INDEX "Sweep_status_idx" ON "Sweep"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Sweep_projectId_idempotencyKey_key" ON "Sweep"("projectId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "Run_sweepId_status_idx" ON "Run"("sweepId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Run_sweepId_sweepPosition_key" ON "Run"("sweepId", "sweepPosition");

