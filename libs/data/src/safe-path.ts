import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

class PathEscapeError extends Error {
  override name = 'PathEscapeError';
}

function isWithin(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * Resolves a user-given relative path inside `root` and returns its real path. Rejects absolute paths, `..`
 * escapes and symlinks (anywhere on the path) that lead outside the root's real path.
 */
export async function resolveInside(root: string, userPath: string): Promise<string> {
  if (isAbsolute(userPath)) throw new PathEscapeError(`${userPath}: must be a path relative to the data root`);
  const realRoot = await realpath(root).catch((err: Error) => {
    throw new Error(`data root ${root}: ${err.message}`);
  });
  const lexical = resolve(realRoot, userPath);
  if (!isWithin(realRoot, lexical)) throw new PathEscapeError(`${userPath}: leaves the data root ${root}`);
  const real = await realpath(lexical).catch((err: Error) => {
    throw new Error(`${lexical}: ${err.message}`);
  });
  if (!isWithin(realRoot, real)) throw new PathEscapeError(`${userPath}: resolves through a symlink to ${real}, outside the data root ${root}`);
  return real;
}

/** Checks that an already-found file stays inside a real root (for files found while walking). */
export async function assertInside(realRoot: string, file: string): Promise<string> {
  const real = await realpath(file);
  if (!isWithin(realRoot, real)) throw new PathEscapeError(`${file}: resolves through a symlink to ${real}, outside ${realRoot}`);
  return real;
}
