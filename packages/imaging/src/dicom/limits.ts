// Memory limits checked before anything is allocated for pixels: a header (or a codestream)
// can claim any size, and a previewer must refuse rather than exhaust memory.
import { ImagingError } from '../errors.js';

/** Default cap on the decoded pixel bytes of one request (all requested frames together). */
export const DEFAULT_MAX_PIXEL_BYTES = 1024 ** 3;

export interface PixelSize {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
}

/** Bytes the decoded samples of `frames` frames take (at least 1 byte per sample). */
export function pixelBytes(size: PixelSize, frames = 1): number {
  const bytesPer = Math.max(1, Math.ceil(size.bitsAllocated / 8));
  return size.rows * size.columns * size.samplesPerPixel * bytesPer * frames;
}

/** Throws `tooLarge` when decoding `frames` frames of `size` would exceed `maxBytes`. */
export function checkPixelBytes(
  size: PixelSize,
  frames: number,
  maxBytes: number = DEFAULT_MAX_PIXEL_BYTES
): void {
  const need = pixelBytes(size, frames);
  if (!Number.isFinite(need) || need > maxBytes) {
    throw new ImagingError({
      code: 'tooLarge',
      message: `Decoding ${frames} frame(s) of ${size.columns}×${size.rows}×${size.samplesPerPixel} at ${size.bitsAllocated} bits needs ${need} bytes, over the limit of ${maxBytes}.`,
      details: { needBytes: need, maxBytes }
    });
  }
}
