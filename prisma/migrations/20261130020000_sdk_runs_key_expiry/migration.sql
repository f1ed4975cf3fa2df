-- Runs logged by the SDK from a user script are never queued for a worker
CREATE TYPE "RunSource" AS ENUM ('worker', 'sdk');

ALTER TABLE "Run" ADD COLUMN "source" "RunSource" NOT NULL DEFAULT 'worker';

-- API keys may expire
ALTER TABLE "ApiKey" ADD COLUMN "expiresAt" TIMESTAMP(3);
