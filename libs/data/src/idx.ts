import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

import type { ImageSet } from './types';

/** IDX type codes (third byte of the magic number), http://yann.lecun.com/exdb/mnist/ "THE IDX FILE FORMAT". */
const IDX_TYPES: Record<number, { name: string; bytes: number }> = {
  0x08: { name: 'ubyte', bytes: 1 },
  0x09: { name: 'byte', bytes: 1 },
  0x0b: { name: 'short', bytes: 2 },
  0x0c: { name: 'int', bytes: 4 },
  0x0d: { name: 'float', bytes: 4 },
  0x0e: { name: 'double', bytes: 8 },
};

export interface IdxArray {
  dtype: string;
  dims: number[];
  /** The raw big-endian payload after the header. */
  data: Uint8Array;
}

class IdxFormatError extends Error {
  override name = 'IdxFormatError';
  constructor(readonly file: string, problem: string) {
    super(`${file}: ${problem}`);
  }
}

/** Parses an uncompressed IDX buffer; checks the magic number, the type code, the dimensions and the data size. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) throw new IdxFormatError(file, `too short for an IDX header (${bytes.length} bytes)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('');
    throw new IdxFormatError(file, `wrong magic number 0x${magic}: an IDX file starts with two zero bytes`);
  }
  const type = IDX_TYPES[bytes[2] as number];
  if (!type) throw new IdxFormatError(file, `unknown IDX type code 0x${(bytes[2] as number).toString(16)}`);
  const ndims = bytes[3] as number;
  if (ndims === 0) throw new IdxFormatError(file, 'zero dimensions');
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) throw new IdxFormatError(file, `truncated header: ${ndims} dimensions need ${headerBytes} bytes, file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let d = 0; d < ndims; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const expected = dims.reduce((a, b) => a * b, 1) * type.bytes;
  const actual = bytes.length - headerBytes;
  if (actual !== expected) {
    throw new IdxFormatError(file, `dimensions [${dims.join(', ')}] of ${type.name} need ${expected} data bytes, file has ${actual}`);
  }
  return { dtype: type.name, dims, data: bytes.subarray(headerBytes) };
}

/** Reads an IDX file, gunzipping it when it is gzip (by content, not by name). */
export function readIdxFile(file: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new IdxFormatError(file, `cannot read: ${(err as Error).message}`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      throw new IdxFormatError(file, `corrupt or truncated gzip: ${(err as Error).message}`);
    }
  }
  return parseIdx(bytes, file);
}

/** Images (ubyte, [N, H, W]) and labels (ubyte, [N]) as one grey ImageSet. */
export function readIdxImageSet(imagesFile: string, labelsFile: string, numClasses: number): ImageSet {
  const images = readIdxFile(imagesFile);
  const labels = readIdxFile(labelsFile);
  if (images.dtype !== 'ubyte' || images.dims.length !== 3) {
    throw new IdxFormatError(imagesFile, `expected ubyte images [N, H, W], got ${images.dtype} [${images.dims.join(', ')}]`);
  }
  if (labels.dtype !== 'ubyte' || labels.dims.length !== 1) {
    throw new IdxFormatError(labelsFile, `expected ubyte labels [N], got ${labels.dtype} [${labels.dims.join(', ')}]`);
  }
  const [count, height, width] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) {
    throw new IdxFormatError(labelsFile, `${labels.dims[0]} labels but ${imagesFile} has ${count} images`);
  }
  const bad = labels.data.findIndex((l) => l >= numClasses);
  if (bad >= 0) throw new IdxFormatError(labelsFile, `label ${labels.data[bad]} at index ${bad} is outside 0..${numClasses - 1}`);
  return { images: images.data, labels: labels.data, count, height, width, channels: 1 };
}

/** Encodes an IDX file (used by tests and to export data sets). */
export function encodeIdx(dims: number[], data: Uint8Array, typeCode = 0x08): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  header[2] = typeCode;
  header[3] = dims.length;
  const view = new DataView(header.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(data, header.length);
  return out;
}
