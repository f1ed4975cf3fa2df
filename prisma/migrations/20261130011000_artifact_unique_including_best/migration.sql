-- Artifacts are unique per run, kind and epoch, the best one included: its epoch is NULL and
-- NULLs are distinct in a plain unique index. Postgres 15 NULLS NOT DISTINCT makes them equal.
-- Prisma cannot express that, so this migration is hand-written and schema.prisma keeps its
-- plain @@unique. First keep only the newest row of each duplicate set.
DELETE FROM "Artifact" AS a
USING "Artifact" AS b
WHERE a."runId" = b."runId"
  AND a."kind" = b."kind"
  AND a."epoch" IS NOT DISTINCT FROM b."epoch"
  AND (a."createdAt", a."id") < (b."createdAt", b."id");

-- DropIndex
DROP INDEX "Artifact_runId_kind_epoch_key";

-- CreateIndex
CREATE UNIQUE INDEX "Artifact_runId_kind_epoch_key" ON "Artifact"("runId", "kind", "epoch") NULLS NOT DISTINCT;
