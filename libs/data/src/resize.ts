import type { TPreprocess } from './preprocess';

/** One axis of a bilinear resize: for each output index the two source indices and the weight of the second. */
interface AxisTable {
  lo: Int32Array;
  hi: Int32Array;
  frac: Float32Array;
}

/** Half-pixel centres, edges clamped: the sampling of TF2's tf.image.resize and tfjs resizeBilinear(halfPixelCenters). */
function axisTable(inSize: number, outSize: number): AxisTable {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const frac = new Float32Array(outSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const src = (o + 0.5) * scale - 0.5;
    const floor = Math.floor(src);
    lo[o] = Math.max(floor, 0);
    hi[o] = Math.min(Math.ceil(src), inSize - 1);
    frac[o] = src - floor;
  }
  return { lo, hi, frac };
}

const CAFFE_MEAN_BGR = [103.939, 116.779, 123.68];
const TORCH_MEAN = [0.485, 0.456, 0.406];
const TORCH_STD = [0.229, 0.224, 0.225];
/** tf.image.rgbToGrayscale's weights. */
const GREY = [0.2989, 0.587, 0.114];

/** Per output channel: which interpolated channel it reads, and out = in * scale + shift. */
function channelMap(mode: TPreprocess, channels: number): { from: number[]; scale: number[]; shift: number[] } {
  const all = Array.from({ length: channels }, (_, c) => c);
  switch (mode) {
    case 'none':
      return { from: all, scale: all.map(() => 1), shift: all.map(() => 0) };
    case 'scale01':
      return { from: all, scale: all.map(() => 1 / 255), shift: all.map(() => 0) };
    case 'tf':
      return { from: all, scale: all.map(() => 1 / 127.5), shift: all.map(() => -1) };
    case 'caffe':
      if (channels !== 3) throw new Error(`preprocess 'caffe' needs 3 channels, got ${channels}`);
      return { from: [2, 1, 0], scale: [1, 1, 1], shift: CAFFE_MEAN_BGR.map((m) => -m) };
    case 'torch':
      if (channels !== 3) throw new Error(`preprocess 'torch' needs 3 channels, got ${channels}`);
      return { from: all, scale: TORCH_STD.map((s) => 1 / (255 * s)), shift: TORCH_MEAN.map((m, c) => -m / (TORCH_STD[c] as number)) };
  }
}

export interface ConvertSpec {
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outSize: number | null;
  outChannels: number;
  preprocess: TPreprocess;
}

/**
 * Builds a converter for uint8 NHWC images: bilinear resize, grey<->RGB, preprocessing, all in one pass into a
 * Float32Array (no per-op tensors: tfjs's tile/concat on 227x227 batches cost more than the whole pass).
 */
export function createConverter(spec: ConvertSpec): { outPixels: number; convert: (src: Uint8Array, dst: Float32Array, dstOffset: number) => void } {
  const outH = spec.outSize ?? spec.inHeight;
  const outW = spec.outSize ?? spec.inWidth;
  const cin = spec.inChannels;
  const cout = spec.outChannels;
  if (!(cin === cout || (cin === 1 && cout === 3) || (cin === 3 && cout === 1))) throw new Error(`cannot convert ${cin} channels to ${cout}`);
  const ys = axisTable(spec.inHeight, outH);
  const xs = axisTable(spec.inWidth, outW);
  const { from, scale, shift } = channelMap(spec.preprocess, cout);
  const rowStride = spec.inWidth * cin;
  const tmp = new Float32Array(Math.max(cin, 1));
  if (outH === spec.inHeight && outW === spec.inWidth && cin === cout) {
    // Same size and channels (Fashion-MNIST into LeNet-5): no interpolation, a tenth of the time.
    const pixels = outH * outW;
    const copy = (src: Uint8Array, dst: Float32Array, dstOffset: number) => {
      for (let c = 0; c < cout; c++) {
        const f = from[c] as number;
        const k = scale[c] as number;
        const b = shift[c] as number;
        for (let p = 0, o = dstOffset + c; p < pixels; p++, o += cout) dst[o] = (src[p * cin + f] as number) * k + b;
      }
    };
    return { outPixels: pixels * cout, convert: copy };
  }
  const convert = (src: Uint8Array, dst: Float32Array, dstOffset: number) => {
    let o = dstOffset;
    for (let y = 0; y < outH; y++) {
      const r0 = (ys.lo[y] as number) * rowStride;
      const r1 = (ys.hi[y] as number) * rowStride;
      const fy = ys.frac[y] as number;
      for (let x = 0; x < outW; x++) {
        const c0 = (xs.lo[x] as number) * cin;
        const c1 = (xs.hi[x] as number) * cin;
        const fx = xs.frac[x] as number;
        for (let c = 0; c < cin; c++) {
          const tl = src[r0 + c0 + c] as number;
          const tr = src[r0 + c1 + c] as number;
          const bl = src[r1 + c0 + c] as number;
          const br = src[r1 + c1 + c] as number;
          const top = tl + (tr - tl) * fx;
          const bottom = bl + (br - bl) * fx;
          tmp[c] = top + (bottom - top) * fy;
        }
        if (cin === cout) {
          for (let c = 0; c < cout; c++) dst[o++] = (tmp[from[c] as number] as number) * (scale[c] as number) + (shift[c] as number);
        } else if (cin === 1) {
          const v = tmp[0] as number;
          for (let c = 0; c < cout; c++) dst[o++] = v * (scale[c] as number) + (shift[c] as number);
        } else {
          const v = (tmp[0] as number) * (GREY[0] as number) + (tmp[1] as number) * (GREY[1] as number) + (tmp[2] as number) * (GREY[2] as number);
          dst[o++] = v * (scale[0] as number) + (shift[0] as number);
        }
      }
    }
  };
  return { outPixels: outH * outW * cout, convert };
}
