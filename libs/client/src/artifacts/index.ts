export { ArtifactHttpError } from '../errors';
export { createArtifactClient } from './http';
export type { ArtifactClient } from './http';
