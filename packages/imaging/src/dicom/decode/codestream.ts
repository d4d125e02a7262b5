// Reads the frame size a JPEG, JPEG-LS or JPEG 2000 codestream declares, without decoding it, so
// a corrupt or hostile stream that disagrees with the DICOM header is refused before the codec
// allocates for it (codecs size their output from the stream, not from the header).
import { ImagingError } from '../../errors.js';

export interface CodestreamSize {
  width: number;
  height: number;
  components: number;
  /** Sample precision in bits. */
  precision: number;
}

const SOF = new Set([
  0xc0,
  0xc1,
  0xc2,
  0xc3,
  0xc5,
  0xc6,
  0xc7,
  0xc9,
  0xca,
  0xcb,
  0xcd,
  0xce,
  0xcf,
  0xf7 // JPEG-LS SOF55
]);

/** The SOF of a JPEG / JPEG-LS stream, or undefined when there is none before the scan. */
export function jpegSize(data: Uint8Array): CodestreamSize | undefined {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  let i = 2;
  while (i + 3 < data.length) {
    if (data[i] !== 0xff) return undefined;
    const marker = data[i + 1];
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      i += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return undefined; // scan or end before any SOF
    const length = (data[i + 2] << 8) | data[i + 3];
    if (length < 2) return undefined;
    if (SOF.has(marker)) {
      if (i + 9 >= data.length) return undefined;
      return {
        precision: data[i + 4],
        height: (data[i + 5] << 8) | data[i + 6],
        width: (data[i + 7] << 8) | data[i + 8],
        components: data[i + 9]
      };
    }
    i += 2 + length;
  }
  return undefined;
}

function u32(d: Uint8Array, i: number): number {
  return ((d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3]) >>> 0;
}

/** The SIZ of a JPEG 2000 / HTJ2K codestream (raw, or the jp2c box of a JP2 file). */
export function j2kSize(data: Uint8Array): CodestreamSize | undefined {
  // SOC (FF4F) then SIZ (FF51); in a JP2 file they start the jp2c box, found by a short search.
  const limit = Math.min(data.length - 4, 1 << 16);
  let i = -1;
  for (let p = 0; p <= limit; p++) {
    if (data[p] === 0xff && data[p + 1] === 0x4f && data[p + 2] === 0xff && data[p + 3] === 0x51) {
      i = p + 2;
      break;
    }
  }
  if (i < 0 || i + 42 > data.length) return undefined;
  const xsiz = u32(data, i + 6);
  const ysiz = u32(data, i + 10);
  const xo = u32(data, i + 14);
  const yo = u32(data, i + 18);
  const components = (data[i + 38] << 8) | data[i + 39];
  if (xsiz <= xo || ysiz <= yo || i + 40 + components * 3 > data.length) return undefined;
  return {
    width: xsiz - xo,
    height: ysiz - yo,
    components,
    precision: (data[i + 40] & 0x7f) + 1
  };
}

/**
 * Throws `malformed` unless the codestream declares the frame the header describes (same size,
 * same component count). Samples wider than 16 bits are refused too: no DICOM codec makes them.
 */
export function checkCodestream(
  label: string,
  size: CodestreamSize | undefined,
  header: { rows: number; columns: number; samplesPerPixel: number }
): CodestreamSize {
  if (!size) {
    throw new ImagingError({
      code: 'codecFailed',
      message: `${label}: the frame holds no readable codestream header.`
    });
  }
  if (
    size.width !== header.columns ||
    size.height !== header.rows ||
    size.components !== header.samplesPerPixel ||
    size.precision < 1 ||
    size.precision > 16
  ) {
    throw new ImagingError({
      code: 'malformed',
      message: `${label}: the codestream is ${size.width}×${size.height}×${size.components} at ${size.precision} bits, the header says ${header.columns}×${header.rows}×${header.samplesPerPixel}.`,
      details: { codestream: size }
    });
  }
  return size;
}

/** Whether the stream ends with EOI (FFD9; EOC for JPEG 2000), ignoring DICOM's padding zeros. */
export function endsWithEoi(data: Uint8Array): boolean {
  let end = data.length;
  while (end > 0 && data[end - 1] === 0 && data.length - end < 4) end--;
  return end >= 2 && data[end - 2] === 0xff && data[end - 1] === 0xd9;
}
