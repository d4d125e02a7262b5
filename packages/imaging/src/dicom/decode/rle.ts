// DICOM RLE Lossless (PS3.5 Annex G), pure TypeScript. Output: little-endian native bytes in the
// frame's planar configuration, ready for readNativePixels().
import { ImagingError } from '../../errors.js';
import type { PixelLayout } from '../pixels.js';

function fail(message: string): never {
  throw new ImagingError({ code: 'malformed', message: `RLE: ${message}` });
}

/** Decode one PackBits segment into `out` at `start`, writing every `stride`-th byte. */
function unpackSegment(
  data: Uint8Array,
  from: number,
  to: number,
  out: Uint8Array,
  start: number,
  stride: number,
  count: number
): void {
  let i = from;
  let o = start;
  let written = 0;
  while (i < to && written < count) {
    const n = (data[i++] << 24) >> 24; // signed byte
    if (n >= 0) {
      for (let k = 0; k <= n && i < to && written < count; k++, written++, o += stride)
        out[o] = data[i++];
    } else if (n !== -128) {
      const value = data[i++];
      for (let k = 0; k < 1 - n && written < count; k++, written++, o += stride) out[o] = value;
    }
  }
}

export function decodeRle(frame: Uint8Array, layout: PixelLayout): Uint8Array {
  if (frame.byteLength < 64) fail('frame is shorter than its 64-byte header.');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  const bytesPerSample = layout.bitsAllocated / 8;
  const spp = layout.samplesPerPixel;
  if (segments !== bytesPerSample * spp || segments > 15) {
    fail(
      `${segments} segments, expected ${bytesPerSample * spp} (Bits Allocated ${layout.bitsAllocated} × ${spp} samples).`
    );
  }
  const offsets: number[] = [];
  for (let s = 0; s < segments; s++) offsets.push(view.getUint32(4 + s * 4, true));
  offsets.push(frame.byteLength);

  const pixels = layout.rows * layout.columns;
  const out = new Uint8Array(pixels * spp * bytesPerSample);
  for (let sample = 0; sample < spp; sample++) {
    for (let b = 0; b < bytesPerSample; b++) {
      const seg = sample * bytesPerSample + b;
      // Segments hold the most significant byte first; native little endian wants it last.
      const byteInSample = bytesPerSample - 1 - b;
      let start: number;
      let stride: number;
      if (layout.planarConfiguration === 1 || spp === 1) {
        start = sample * pixels * bytesPerSample + byteInSample;
        stride = bytesPerSample;
      } else {
        start = sample * bytesPerSample + byteInSample;
        stride = spp * bytesPerSample;
      }
      unpackSegment(frame, offsets[seg], offsets[seg + 1], out, start, stride, pixels);
    }
  }
  return out;
}
