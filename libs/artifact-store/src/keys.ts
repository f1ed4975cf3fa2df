import { ARTIFACT_KINDS } from '@hyperzoo/schemas';
import type { TArtifactKind } from '@hyperzoo/schemas';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface TArtifactRef {
  runId: string;
  kind: TArtifactKind;
  /** A checkpoint's epoch; null for `best` and `model`. */
  epoch: number | null;
}

/**
 * The store key of an artifact, derived only from run id, kind and epoch (never from a path a
 * client sent), e.g. `runs/<uuid>/checkpoint-0007.tar`.
 */
export function artifactKey(ref: TArtifactRef): string {
  if (!UUID.test(ref.runId)) throw new Error(`artifact key: run id ${JSON.stringify(ref.runId)} is not a uuid`);
  if (!ARTIFACT_KINDS.includes(ref.kind)) throw new Error(`artifact key: unknown kind ${JSON.stringify(ref.kind)}`);
  if (ref.epoch !== null && !(Number.isInteger(ref.epoch) && ref.epoch >= 1)) throw new Error(`artifact key: bad epoch ${ref.epoch}`);
  const suffix = ref.epoch === null ? '' : `-${String(ref.epoch).padStart(4, '0')}`;
  return `runs/${ref.runId}/${ref.kind}${suffix}.tar`;
}
