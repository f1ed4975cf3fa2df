-- DropIndex
DROP INDEX "Worker_name_key";

-- AlterTable
ALTER TABLE "Worker" ADD COLUMN     "currentRuns" TEXT[],
ADD COLUMN     "stoppedAt" TIMESTAMP(3),
ADD COLUMN     "teamId" UUID NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "Worker_teamId_name_key" ON "Worker"("teamId", "name");

-- AddForeignKey
ALTER TABLE "Worker" ADD CONSTRAINT "Worker_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

