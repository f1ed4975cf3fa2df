-- Run configs are now one schema per architecture, see libs/schemas run-config.ts.
-- Drop the options an architecture does not take, so every stored config parses.
UPDATE "Run" SET "config" = "config" - 'denseActivation' - 'depth' - 'stem' - 'transfer' WHERE "architecture" = 'mlp';
UPDATE "Run" SET "config" = "config" - 'depth' - 'stem' - 'transfer' WHERE "architecture" IN ('lenet5', 'alexnet');
UPDATE "Run" SET "config" = "config" - 'denseActivation' - 'depth' - 'transfer' WHERE "architecture" = 'googlenet';
UPDATE "Run" SET "config" = "config" - 'denseActivation' - 'transfer' WHERE "architecture" = 'resnet';
UPDATE "Run" SET "config" = "config" - 'activation' - 'denseActivation' - 'width' - 'depth' - 'stem' WHERE "architecture" = 'transfer';
