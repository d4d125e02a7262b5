// JPEG Lossless Process 14 (1.2.840.10008.1.2.4.57/70), pure JS (jpeg-lossless-decoder-js),
// imported on first use.
import { ImagingError } from '../../errors.js';
import type { CodecOutput } from './codecOutput.js';

let loading: Promise<typeof import('jpeg-lossless-decoder-js')> | undefined;

export async function decodeJpegLossless(
  frame: Uint8Array,
  bitsAllocated: number,
  samplesPerPixel: number
): Promise<CodecOutput> {
  loading ??= import('jpeg-lossless-decoder-js');
  const { Decoder } = await loading;
  const bytesPer = bitsAllocated <= 8 ? 1 : 2;
  try {
    const out = new Decoder().decode(
      frame.buffer as ArrayBuffer,
      frame.byteOffset,
      frame.byteLength,
      bytesPer
    );
    return {
      bytes: new Uint8Array(out.buffer, out.byteOffset, out.byteLength),
      planarConfiguration: 0,
      rgb: false,
      bitsPerSample: bytesPer * 8,
      components: samplesPerPixel
    };
  } catch (cause) {
    throw new ImagingError({
      code: 'codecFailed',
      message: `JPEG lossless decode failed: ${String(cause)}`,
      cause
    });
  }
}
