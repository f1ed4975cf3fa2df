import { describe, expect, it } from 'vitest';

import { PREDICT_IMAGE_MAX_BYTES, PREDICT_PIXELS_SIDE, ZPredictImage } from '@hyperzoo/schemas';

import { canSendEncoded, encodedImage, greyPixels } from './predict-image';

const PNG_HEAD = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('predict image', () => {
  it('sends small PNG and JPEG files as they are, base64 the API accepts', () => {
    const png = new Uint8Array([...PNG_HEAD, 1, 2, 3]);
    expect(canSendEncoded(png)).toBe(true);
    expect(canSendEncoded(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe(true);
    const image = encodedImage(png);
    expect(image).toEqual({ kind: 'encoded', base64: Buffer.from(png).toString('base64') });
    expect(ZPredictImage.safeParse(image).success).toBe(true);
  });

  it('refuses other formats and files above the limit for the encoded form', () => {
    expect(canSendEncoded(new TextEncoder().encode('GIF89a'))).toBe(false);
    const big = new Uint8Array(PREDICT_IMAGE_MAX_BYTES + 1);
    big.set(PNG_HEAD);
    expect(canSendEncoded(big)).toBe(false);
  });

  it('encodes large files without overflowing the call stack', () => {
    const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
    expect((encodedImage(bytes) as { base64: string }).base64).toBe(Buffer.from(bytes).toString('base64'));
  });

  it('turns RGBA into grey rows by luma, transparent as black', () => {
    const n = PREDICT_PIXELS_SIDE * PREDICT_PIXELS_SIDE;
    const rgba = new Uint8ClampedArray(n * 4);
    rgba.set([255, 255, 255, 255], 0); // white, opaque
    rgba.set([255, 0, 0, 255], 4); // red
    rgba.set([255, 255, 255, 0], 8); // white, transparent
    const image = greyPixels(rgba);
    if (image.kind !== 'pixels') throw new Error('expected pixels');
    expect(image.pixels[0]?.slice(0, 3)).toEqual([255, 76, 0]);
    expect(ZPredictImage.safeParse(image).success).toBe(true);
    expect(() => greyPixels(new Uint8ClampedArray(10))).toThrow(/28x28/);
  });
});
