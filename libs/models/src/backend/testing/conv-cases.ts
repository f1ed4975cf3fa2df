// Convolution shapes for kernel tests against the cpu backend.

export type TConvCase = {
  name: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: [number, number];
  pad: 'same' | 'valid' | number;
};

// Shapes the zoo uses (LeNet 5x5 same/valid, AlexNet 11x11/4, ResNet 3x3/2 and 1x1/2
// shortcuts) plus odd sizes, where the stride does not divide the input evenly.
export const CONV_CASES: TConvCase[] = [
  { name: 'lenet conv1 5x5 same', x: [4, 28, 28, 1], filter: [5, 5, 1, 6], strides: [1, 1], pad: 'same' },
  { name: 'lenet conv2 5x5 valid', x: [4, 14, 14, 6], filter: [5, 5, 6, 16], strides: [1, 1], pad: 'valid' },
  { name: 'alexnet 11x11 stride 4 valid', x: [2, 35, 35, 3], filter: [11, 11, 3, 8], strides: [4, 4], pad: 'valid' },
  { name: '3x3 stride 2 same, even input', x: [3, 8, 8, 4], filter: [3, 3, 4, 5], strides: [2, 2], pad: 'same' },
  { name: '3x3 stride 2 same, odd input', x: [3, 9, 7, 4], filter: [3, 3, 4, 5], strides: [2, 2], pad: 'same' },
  { name: '3x3 stride 2 valid, odd input', x: [2, 9, 10, 3], filter: [3, 3, 3, 4], strides: [2, 2], pad: 'valid' },
  { name: '1x1 stride 2 shortcut', x: [2, 8, 8, 6], filter: [1, 1, 6, 12], strides: [2, 2], pad: 'valid' },
  { name: '1x1 stride 4 valid, odd input', x: [2, 9, 9, 3], filter: [1, 1, 3, 2], strides: [4, 4], pad: 'valid' },
  { name: '3x5 kernel, strides 2x3 same', x: [2, 11, 13, 3], filter: [3, 5, 3, 4], strides: [2, 3], pad: 'same' },
  { name: '5x5 stride 3 valid', x: [2, 17, 16, 2], filter: [5, 5, 2, 3], strides: [3, 3], pad: 'valid' },
  { name: '1x1 stride 1 (matrix product path)', x: [3, 7, 6, 5], filter: [1, 1, 5, 4], strides: [1, 1], pad: 'same' },
  { name: '1x1 stride 1 valid, one channel in', x: [2, 5, 5, 1], filter: [1, 1, 1, 3], strides: [1, 1], pad: 'valid' },
  { name: '1x1 explicit pad 1 (conv path)', x: [2, 5, 5, 2], filter: [1, 1, 2, 3], strides: [1, 1], pad: 1 },
  { name: '3x3 explicit pad 1', x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: [1, 1], pad: 1 },
  { name: '3x3 stride 2 explicit pad 2', x: [2, 9, 9, 2], filter: [3, 3, 2, 3], strides: [2, 2], pad: 2 },
  // The SIMD filter gradient reads x in place when nothing is padded and a patch row is a multiple of 4.
  { name: '1x1 stride 1, channels multiple of 4 (x read in place)', x: [2, 7, 6, 8], filter: [1, 1, 8, 12], strides: [1, 1], pad: 'valid' },
  { name: '3x3 stride 2 valid, 4 channels (x read in place)', x: [2, 9, 10, 4], filter: [3, 3, 4, 8], strides: [2, 2], pad: 'valid' },
  { name: 'one image per SIMD pass (over 256 KB each)', x: [2, 40, 40, 48], filter: [1, 1, 48, 4], strides: [1, 1], pad: 'valid' },
  // 3x3 stride 1 with 16+ channels (a multiple of 4) goes through Winograd F(2x2,3x3): odd sizes
  // leave half tiles; 28x28 images go in bands of tile rows per pass, 4x4x128 several images per pass.
  { name: '3x3 same, 16 channels (Winograd)', x: [3, 8, 8, 16], filter: [3, 3, 16, 16], strides: [1, 1], pad: 'same' },
  { name: '3x3 same, odd sizes (Winograd, half tiles)', x: [2, 7, 9, 16], filter: [3, 3, 16, 12], strides: [1, 1], pad: 'same' },
  { name: '3x3 valid, 6 filters (Winograd forward, cropped)', x: [2, 9, 8, 16], filter: [3, 3, 16, 6], strides: [1, 1], pad: 'valid' },
  { name: 'ResNet stage 1: 3x3 same 28x28x16 (Winograd, bands of tile rows)', x: [2, 28, 28, 16], filter: [3, 3, 16, 16], strides: [1, 1], pad: 'same' },
  { name: '3x3 same 27x27x32 (Winograd, bands, half tiles at the edge)', x: [1, 27, 27, 32], filter: [3, 3, 32, 32], strides: [1, 1], pad: 'same' },
  { name: 'ResNet stage 4: 3x3 same 4x4x128 (Winograd)', x: [2, 4, 4, 128], filter: [3, 3, 128, 128], strides: [1, 1], pad: 'same' },
];

export function convOutputShape(c: TConvCase): [number, number, number, number] {
  const [b, h, w] = c.x;
  const [kh, kw, , co] = c.filter;
  const [sh, sw] = c.strides;
  const size = (n: number, k: number, s: number): number => {
    if (c.pad === 'same') return Math.ceil(n / s);
    const p = c.pad === 'valid' ? 0 : 2 * c.pad;
    return Math.floor((n + p - k) / s) + 1;
  };
  return [b, size(h, kh, sh), size(w, kw, sw), co];
}
