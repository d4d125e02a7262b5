// Native (uncompressed) pixel data → typed arrays, plus the fix-ups every decoder output needs:
// masking bits above HighBit, sign extension of BitsStored < BitsAllocated, planar → interleaved,
// YBR_FULL → RGB. PS3.5 §8.1 and PS3.3 C.7.6.3.1.
import { ImagingError } from '../errors.js';

export type PixelArray =
  Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

export interface PixelLayout {
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  highBit: number;
  pixelRepresentation: 0 | 1;
  samplesPerPixel: number;
  planarConfiguration: 0 | 1;
}

export function frameByteLength(
  layout: PixelLayout & { photometricInterpretation?: string }
): number {
  // Native YBR_FULL_422 stores two samples per pixel (Y each, Cb Cr shared by a pair).
  const samples = isYbr422(layout.photometricInterpretation) ? 2 : layout.samplesPerPixel;
  return (layout.rows * layout.columns * samples * layout.bitsAllocated) / 8;
}

export function isYbr422(photometric: string | undefined): boolean {
  return photometric?.trim().toUpperCase() === 'YBR_FULL_422';
}

function checkLayout(layout: PixelLayout): void {
  const { bitsAllocated, bitsStored, highBit } = layout;
  if (bitsAllocated !== 8 && bitsAllocated !== 16 && bitsAllocated !== 32) {
    throw new ImagingError({
      code: 'unsupportedPixelFormat',
      message: `Bits Allocated ${bitsAllocated} is not supported (8, 16 or 32).`,
      details: { bitsAllocated }
    });
  }
  if (
    bitsStored < 1 ||
    bitsStored > bitsAllocated ||
    highBit >= bitsAllocated ||
    highBit + 1 < bitsStored
  ) {
    throw new ImagingError({
      code: 'malformed',
      message: `Inconsistent Bits Stored ${bitsStored} / High Bit ${highBit} for Bits Allocated ${bitsAllocated}.`
    });
  }
}

type Ctor = {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): PixelArray;
  new (length: number): PixelArray;
  BYTES_PER_ELEMENT: number;
};

function arrayType(bitsAllocated: number, signed: boolean): Ctor {
  if (bitsAllocated === 8) return signed ? Int8Array : Uint8Array;
  if (bitsAllocated === 16) return signed ? Int16Array : Uint16Array;
  return signed ? Int32Array : Uint32Array;
}

const hostLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Interpret one frame of native pixel bytes. Returns a view on `bytes` (no copy) when the data is
 * host-endian, aligned and needs no bit fix-up, or when `bytes` is `owned` (a codec's output, free
 * to fix in place); otherwise a new array. Samples stay in the frame's planar configuration; see
 * toInterleaved().
 */
export function readNativePixels(
  bytes: Uint8Array,
  layout: PixelLayout,
  littleEndian: boolean,
  owned = false
): PixelArray {
  checkLayout(layout);
  const signed = layout.pixelRepresentation === 1;
  const bytesPer = layout.bitsAllocated / 8;
  const count = layout.rows * layout.columns * layout.samplesPerPixel;
  if (bytes.byteLength < count * bytesPer) {
    throw new ImagingError({
      code: 'malformed',
      message: `Pixel data holds ${bytes.byteLength} bytes, the frame needs ${count * bytesPer}.`
    });
  }
  const needsBits =
    layout.bitsStored < layout.bitsAllocated || layout.highBit !== layout.bitsStored - 1;
  const Unsigned = arrayType(layout.bitsAllocated, false);
  const Out = arrayType(layout.bitsAllocated, signed);
  const sameEndian = bytesPer === 1 || littleEndian === hostLittleEndian;
  const aligned = bytes.byteOffset % bytesPer === 0;

  if (sameEndian && aligned && !needsBits) return new Out(bytes.buffer, bytes.byteOffset, count);
  if (
    sameEndian &&
    aligned &&
    !signed &&
    !hasBitsAbove(new Unsigned(bytes.buffer, bytes.byteOffset, count), layout)
  ) {
    return new Out(bytes.buffer, bytes.byteOffset, count);
  }

  // Copy into an unsigned array of host order (unless the bytes are ours), then fix bits in place.
  const inPlace = owned && sameEndian && aligned;
  const raw = (
    inPlace ? new Unsigned(bytes.buffer, bytes.byteOffset, count) : new Unsigned(count)
  ) as Uint8Array | Uint16Array | Uint32Array;
  if (inPlace) {
    // already host order
  } else if (sameEndian) {
    new Uint8Array(raw.buffer).set(bytes.subarray(0, count * bytesPer));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, count * bytesPer);
    if (bytesPer === 2)
      for (let i = 0; i < count; i++) raw[i] = view.getUint16(i * 2, littleEndian);
    else for (let i = 0; i < count; i++) raw[i] = view.getUint32(i * 4, littleEndian);
  }
  const out = new Out(raw.buffer, raw.byteOffset, count);
  if (needsBits || signed) fixStoredBits(raw, out, layout);
  return out;
}

function hasBitsAbove(raw: PixelArray, layout: PixelLayout): boolean {
  if (layout.highBit !== layout.bitsStored - 1) return true;
  const mask = layout.bitsStored >= 32 ? 0xffffffff : (1 << layout.bitsStored) - 1;
  for (let i = 0; i < raw.length; i++) if ((raw[i] & ~mask) !== 0) return true;
  return false;
}

/**
 * Keep only the BitsStored bits ending at HighBit and, for signed data, sign-extend them.
 * `raw` and `out` may share a buffer (same length, unsigned and final views).
 */
export function fixStoredBits(raw: ArrayLike<number>, out: PixelArray, layout: PixelLayout): void {
  const shift = layout.highBit + 1 - layout.bitsStored;
  const bits = layout.bitsStored;
  const mask = bits >= 32 ? 0xffffffff : 2 ** bits - 1;
  const signBit = 2 ** (bits - 1);
  const signed = layout.pixelRepresentation === 1;
  for (let i = 0; i < out.length; i++) {
    let v = (raw[i] >>> shift) & mask;
    if (bits === 32) v >>>= 0;
    if (signed && v >= signBit) v -= 2 * signBit;
    out[i] = v;
  }
}

/** Colour-by-plane (RR…GG…BB…) → colour-by-pixel (RGBRGB…); returns a new array. */
export function toInterleaved<T extends PixelArray>(pixels: T, samplesPerPixel: number): T {
  const n = pixels.length / samplesPerPixel;
  const out = new (pixels.constructor as new (length: number) => T)(pixels.length);
  for (let s = 0; s < samplesPerPixel; s++) {
    const base = s * n;
    for (let i = 0; i < n; i++) out[i * samplesPerPixel + s] = pixels[base + i];
  }
  return out;
}

const clamp8 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/**
 * Native YBR_FULL_422 (PS3.3 C.7.6.3.1.2, PS3.5 §8.2.1): each pair of pixels in a row is stored
 * Y1 Y2 Cb Cr, chroma shared by the pair → interleaved 8-bit RGB, a new array.
 */
export function ybrFull422ToRgb(data: Uint8Array, rows: number, columns: number): Uint8Array {
  const out = new Uint8Array(rows * columns * 3);
  const rowBytes = columns * 2;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x += 2) {
      const i = y * rowBytes + x * 2;
      const cb = data[i + 2];
      const cr = data[i + 3];
      const o = (y * columns + x) * 3;
      out[o] = data[i];
      out[o + 1] = cb;
      out[o + 2] = cr;
      if (x + 1 < columns) {
        out[o + 3] = data[i + 1];
        out[o + 4] = cb;
        out[o + 5] = cr;
      }
    }
  }
  return ybrFullToRgb(out);
}

/** YBR_FULL (PS3.3 C.7.6.3.1.2) → RGB, 8-bit interleaved, in place. */
export function ybrFullToRgb(pixels: Uint8Array): Uint8Array {
  for (let i = 0; i + 2 < pixels.length; i += 3) {
    const y = pixels[i];
    const cb = pixels[i + 1] - 128;
    const cr = pixels[i + 2] - 128;
    pixels[i] = clamp8(y + 1.402 * cr);
    pixels[i + 1] = clamp8(y - 0.344136 * cb - 0.714136 * cr);
    pixels[i + 2] = clamp8(y + 1.772 * cb);
  }
  return pixels;
}

export function minMax(pixels: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return pixels.length ? { min, max } : { min: 0, max: 0 };
}
