export { artifactKey } from './keys';
export { ArtifactRejectedError } from './store';
export type { ArtifactStore } from './store';
export { createArtifactStore, ZArtifactStoreEnv } from './config';
