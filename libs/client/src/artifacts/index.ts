export { ArtifactHttpError, createArtifactClient } from './http';
export type { ArtifactClient } from './http';
