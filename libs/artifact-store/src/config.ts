import { z } from 'zod';

import { DirectoryStore } from './directory-store';
import { S3Store } from './s3-store';
import type { ArtifactStore } from './store';

/** Unset and empty (as compose passes an unset `${VAR:-}`) mean the same. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** The API's artifact store settings, parsed from its environment (see docs/DEPLOY.md). */
export const ZArtifactStoreEnv = z.object({
  /** `dir`: files on the API host (default); `s3`: an S3-compatible bucket. */
  HZ_ARTIFACT_STORE: z.enum(['dir', 's3']).default('dir'),
  HZ_ARTIFACT_STORE_DIR: z.string().min(1).default('.hyperzoo/api-artifacts'),
  HZ_S3_BUCKET: optional(z.string().min(3).max(63)),
  HZ_S3_PREFIX: z.string().regex(/^([\w.-]+\/)*$/, 'empty or segments ending with /').default(''),
  HZ_S3_REGION: z.string().min(1).default('us-east-1'),
  HZ_S3_ENDPOINT: optional(z.url({ protocol: /^https?$/ })),
  HZ_S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Largest artifact accepted (bytes); a LeNet checkpoint is about 1 MB, a small ResNet's about 10 MB. */
  HZ_ARTIFACT_MAX_BYTES: z.coerce.number().int().min(1024).default(512 * 1024 * 1024),
});
export type TArtifactStoreEnv = z.infer<typeof ZArtifactStoreEnv>;

export function createArtifactStore(env: TArtifactStoreEnv): ArtifactStore {
  if (env.HZ_ARTIFACT_STORE === 'dir') return new DirectoryStore(env.HZ_ARTIFACT_STORE_DIR);
  if (!env.HZ_S3_BUCKET) throw new Error('HZ_ARTIFACT_STORE=s3 needs HZ_S3_BUCKET');
  return new S3Store({
    bucket: env.HZ_S3_BUCKET,
    prefix: env.HZ_S3_PREFIX,
    region: env.HZ_S3_REGION,
    endpoint: env.HZ_S3_ENDPOINT,
    forcePathStyle: env.HZ_S3_FORCE_PATH_STYLE,
  });
}
