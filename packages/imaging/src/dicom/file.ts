// A whole DICOM file → masked header + decoded frames: what a decoder worker does per request.
import { ImagingError } from '../errors.js';
import { decodeFrame, type DecodedFrame } from './frame.js';
import { checkPixelBytes, DEFAULT_MAX_PIXEL_BYTES } from './limits.js';
import { parseDicom, type DicomImage } from './parse.js';

export interface DecodedDicom {
  header: DicomImage;
  frames: DecodedFrame[];
  /**
   * The buffer of the file's bytes, handed back (by a worker, transferred) when no frame refers
   * to it: the caller may read its next file into it.
   */
  input?: ArrayBuffer;
}

export interface DecodeDicomOptions {
  /** Frame indices to decode (0-based, in the order wanted). Default: every frame. */
  frames?: number[];
  /** Limit on the decoded bytes of all requested frames together, checked first. Default 1 GiB. */
  maxPixelBytes?: number;
  signal?: AbortSignal;
  /** Return identifying attributes unmasked (an explicit user action). Default false. */
  revealPhi?: boolean;
  /**
   * Spare buffers for the frames' pixels, one per requested frame in order (see
   * DecodeFrameOptions.into): the caller recycles the buffers of frames it has copied away.
   */
  into?: (ArrayBuffer | undefined)[];
}

/**
 * The buffer behind a frame's pixels, to pass back as a spare (`into`) once the pixels are copied
 * away; undefined when the pixels are a view into something larger (e.g. the file's bytes).
 */
export function spareBuffer(pixels: ArrayBufferView | undefined): ArrayBuffer | undefined {
  return pixels && pixels.buffer instanceof ArrayBuffer && pixels.byteOffset === 0
    ? pixels.buffer
    : undefined;
}

export function cancelledError(): ImagingError {
  return new ImagingError({ code: 'cancelled', message: 'The decode was cancelled.' });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

function frameList(requested: number[] | undefined, count: number): number[] {
  if (requested === undefined) return Array.from({ length: count }, (_, i) => i);
  for (const f of requested) {
    if (!Number.isInteger(f) || f < 0 || f >= count) {
      throw new ImagingError({
        code: 'malformed',
        message: `Frame ${f} out of range 0..${count - 1}.`,
        details: { frame: f, numberOfFrames: count }
      });
    }
  }
  return requested;
}

/** Parse `bytes` and decode the requested frames; every failure is an ImagingError. */
export async function decodeDicom(
  bytes: Uint8Array,
  options: DecodeDicomOptions = {}
): Promise<DecodedDicom> {
  const { signal } = options;
  const maxPixelBytes = options.maxPixelBytes ?? DEFAULT_MAX_PIXEL_BYTES;
  throwIfAborted(signal);
  const parsed = parseDicom(bytes, { revealPhi: options.revealPhi, maxPixelBytes });
  const indices = frameList(options.frames, parsed.header.numberOfFrames);
  checkPixelBytes(parsed.header, indices.length, maxPixelBytes);
  const frames: DecodedFrame[] = [];
  const used = new Set<ArrayBuffer>();
  for (const [n, index] of indices.entries()) {
    throwIfAborted(signal);
    // a buffer given twice must not hold two frames
    let into = options.into?.[n];
    if (into && used.has(into)) into = undefined;
    if (into) used.add(into);
    frames.push(await decodeFrame(parsed, index, { maxPixelBytes, into }));
  }
  return { header: parsed.header, frames };
}
