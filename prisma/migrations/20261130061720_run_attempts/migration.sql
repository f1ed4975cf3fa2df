-- CreateTable
CREATE TABLE "RunAttempt" (
    "runId" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "workerId" UUID,
    "workerName" TEXT,
    "backend" TEXT NOT NULL,
    "device" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "endedAt" TIMESTAMP(3),
    "outcome" TEXT,
    "error" TEXT,

    CONSTRAINT "RunAttempt_pkey" PRIMARY KEY ("runId","attempt")
);

-- AddForeignKey
ALTER TABLE "RunAttempt" ADD CONSTRAINT "RunAttempt_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

