import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/** Size and a content hash of a checkpoint directory (files in name order: name, then bytes). */
export async function describeDir(dir: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for (const name of (await readdir(dir)).sort()) {
    const file = path.join(dir, name);
    if (!(await stat(file)).isFile()) continue;
    const data = await readFile(file);
    bytes += data.byteLength;
    hash.update(name).update('\0').update(data);
  }
  return { bytes, sha256: hash.digest('hex') };
}
