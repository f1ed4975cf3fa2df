import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A file source outside every allowed root, or written to climb out of one. */
export class UnsafePathError extends Error {
  override name = 'UnsafePathError';
}

function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Resolves a directory/file path or file:// URL to a real path inside one of allowedRoots.
 * Relative paths are taken relative to the first root. Any `..` segment is refused outright,
 * and symlinks are resolved before the containment check, so neither can escape a root.
 */
export async function resolveInsideRoots(target: string, allowedRoots: readonly string[]): Promise<string> {
  if (allowedRoots.length === 0) throw new UnsafePathError(`no allowed roots given for file source ${target}`);
  let filePath = target;
  if (target.startsWith('file:')) {
    const raw = target.replace(/^file:(\/\/)?/, '');
    if (raw.split(/[\\/]/).includes('..')) throw new UnsafePathError(`file source ${target} contains a '..' segment`);
    filePath = target.startsWith('file:///') ? fileURLToPath(target) : raw;
  }
  if (filePath.split(/[\\/]/).includes('..') || decodeURIComponent(filePath).split(/[\\/]/).includes('..')) {
    throw new UnsafePathError(`file source ${target} contains a '..' segment`);
  }
  const [firstRoot] = allowedRoots;
  const absolute = path.resolve(firstRoot ?? '.', filePath);
  // Missing and outside answer the same words, so a run config cannot probe which files exist.
  const refused = new UnsafePathError(`file source ${target} is not a model inside the allowed roots`);
  const real = await realpath(absolute).catch(() => null);
  if (real === null) throw refused;
  for (const root of allowedRoots) {
    const realRoot = await realpath(root).catch(() => null);
    if (realRoot !== null && isInside(realRoot, real)) return real;
  }
  throw refused;
}

/** A weights file named in model.json: a plain relative name that stays inside the model's directory. */
export function resolveWeightsPath(modelDir: string, weightsPath: string): string {
  const parts = weightsPath.split(/[\\/]/);
  if (path.isAbsolute(weightsPath) || parts.includes('..') || weightsPath.includes(':')) {
    throw new UnsafePathError(`weights path '${weightsPath}' in ${path.join(modelDir, 'model.json')} must be a relative path inside the model directory`);
  }
  return path.join(modelDir, ...parts);
}
