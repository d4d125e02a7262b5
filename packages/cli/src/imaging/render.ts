// A stored slice → bytes on disk: --raw (the stored values, little endian, row-major, the file's
// own sample width) or --png (8-bit through the VOI window; RGB as is; square pixels in mm).
import { renderGrey8, windowFromRange, type VoiWindow, type VoxelArray } from '@radlab/imaging';
import { encode } from 'fast-png';
import { resample, squarePixelSize } from './aspect.js';
import type { StoredSlice } from './slice.js';

const hostLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The slice's stored values as little-endian bytes. */
export function rawBytes(slice: Pick<StoredSlice, 'data'>): Uint8Array {
  const d = slice.data;
  const bytes = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  const size = d.BYTES_PER_ELEMENT;
  if (hostLittleEndian || size === 1) return bytes;
  const out = bytes.slice();
  for (let i = 0; i < out.length; i += size) out.subarray(i, i + size).reverse();
  return out;
}

function numeric(data: VoxelArray): ArrayLike<number> & { length: number } {
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    return Float64Array.from(data, v => Number(v));
  }
  return data;
}

/** The window a PNG is rendered with: --window, else the header's first, else the data range. */
export function sliceWindow(slice: StoredSlice, override?: VoiWindow): VoiWindow {
  if (override) return override;
  if (slice.windows.length) return slice.windows[0];
  const data = numeric(slice.data);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(min <= max)) return windowFromRange(0, 0);
  const { rescaleSlope: m, rescaleIntercept: b } = slice.rescale;
  const [lo, hi] = [min * m + b, max * m + b].sort((x, y) => x - y);
  if (Number.isInteger(lo) && Number.isInteger(hi)) return windowFromRange(lo, hi);
  // Float data: a window spanning the range exactly (LINEAR_EXACT has no 1-unit width floor).
  return { center: (lo + hi) / 2, width: Math.max(hi - lo, Number.EPSILON), fn: 'LINEAR_EXACT' };
}

/** The PNG's size: the slice stretched to true proportions (see aspect.ts). */
export function pngSize(
  slice: Pick<StoredSlice, 'width' | 'height' | 'pixelSpacing'>
): [number, number] {
  return squarePixelSize(slice.width, slice.height, slice.pixelSpacing);
}

/** PNG bytes: grey through the window (inverted for MONOCHROME1), or RGB unchanged; true proportions. */
export function pngBytes(slice: StoredSlice, window: VoiWindow): Uint8Array {
  const { width, height } = slice;
  const [w, h] = pngSize(slice);
  const png = (data: Uint8Array | Uint16Array, channels: number, depth: 8 | 16): Uint8Array =>
    encode({
      width: w,
      height: h,
      data: resample(data, width, height, channels, w, h),
      channels,
      depth
    });
  if (slice.samples > 1) {
    const channels = slice.samples;
    if (slice.data instanceof Uint16Array) return png(slice.data, channels, 16);
    return png(Uint8Array.from(numeric(slice.data)), channels, 8);
  }
  const grey = renderGrey8(numeric(slice.data), slice.rescale, window, { invert: slice.invert });
  return png(grey, 1, 8);
}
