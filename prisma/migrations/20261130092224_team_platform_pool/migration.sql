-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "usesPlatformPool" BOOLEAN NOT NULL DEFAULT false;

