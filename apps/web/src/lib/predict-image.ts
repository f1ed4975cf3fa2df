import { PREDICT_IMAGE_MAX_BYTES, PREDICT_PIXELS_SIDE } from '@hyperzoo/schemas';
import type { TPredictImage } from '@hyperzoo/schemas';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/**
 * runs.predict takes PNG and JPEG files as they are (the worker decodes and scales them as its
 * data pipeline does); anything else, or a file above the limit, goes as 28 x 28 grey pixels.
 */
export function canSendEncoded(bytes: Uint8Array): boolean {
  return bytes.length <= PREDICT_IMAGE_MAX_BYTES && (startsWith(bytes, PNG_MAGIC) || startsWith(bytes, JPEG_MAGIC));
}

export function encodedImage(bytes: Uint8Array): TPredictImage {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { kind: 'encoded', base64: btoa(binary) };
}

/** RGBA pixels of a PREDICT_PIXELS_SIDE square (a canvas' getImageData) as grey 0-255 rows; transparent counts as black, as on the zoo's data. */
export function greyPixels(rgba: Uint8ClampedArray): TPredictImage {
  const side = PREDICT_PIXELS_SIDE;
  if (rgba.length !== side * side * 4) throw new Error(`expected ${side}x${side} RGBA pixels, got ${rgba.length} values`);
  const pixels = Array.from({ length: side }, (_, y) =>
    Array.from({ length: side }, (_, x) => {
      const i = (y * side + x) * 4;
      const alpha = (rgba[i + 3] ?? 0) / 255;
      // ITU-R BT.601 luma, the weights tf.image.rgbToGrayscale uses.
      const luma = 0.299 * (rgba[i] ?? 0) + 0.587 * (rgba[i + 1] ?? 0) + 0.114 * (rgba[i + 2] ?? 0);
      return Math.round(luma * alpha);
    }),
  );
  return { kind: 'pixels', pixels };
}
