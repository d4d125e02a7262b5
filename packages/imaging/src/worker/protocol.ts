// Messages between an ImagingDecoder and its workers, and how errors and pixel buffers cross.
import type { DecodedDicom } from '../dicom/file.js';
import { ImagingError, type ImagingErrorCode } from '../errors.js';
import type { NiftiVolume } from '../nifti/read.js';

export interface DicomRequestOptions {
  frames?: number[];
  maxPixelBytes?: number;
  revealPhi?: boolean;
  /** Spare pixel buffers, transferred to the worker and back inside the result. */
  into?: (ArrayBuffer | undefined)[];
}

export interface NiftiRequestOptions {
  maxVoxelBytes?: number;
}

export type DecodeRequest =
  | { id: number; op: 'dicom'; bytes: ArrayBuffer | Uint8Array; options: DicomRequestOptions }
  | { id: number; op: 'nifti'; bytes: ArrayBuffer; name: string; options: NiftiRequestOptions };

/** Sent once before any request: where the codecs' .wasm files are served (bundled hosts). */
export interface ConfigureMessage {
  op: 'configure';
  wasmBaseUrl: string;
}

export interface SerializedError {
  code: ImagingErrorCode;
  message: string;
  hint?: string;
  details?: Record<string, unknown>;
}

export type DecodeResponse =
  | { id: number; ok: true; result: DecodedDicom | NiftiVolume }
  | { id: number; ok: false; error: SerializedError };

const CODES: ReadonlySet<string> = new Set<ImagingErrorCode>([
  'unsupportedTransferSyntax',
  'unsupportedPixelFormat',
  'malformed',
  'codecFailed',
  'tooLarge',
  'cancelled'
]);

/** Any thrown value → the plain object that survives structured clone. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof ImagingError) {
    return {
      code: error.code,
      message: error.message,
      hint: error.hint,
      // details may hold anything; only keep what clones (numbers, strings, plain objects).
      details: error.details ? JSON.parse(JSON.stringify(error.details)) : undefined
    };
  }
  // Not an ImagingError: a bug or an unforeseen input. Flagged so tests (fuzz) and logs see it.
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return {
    code: 'malformed',
    message: `Decoding failed: ${message}`,
    details: { unexpected: true }
  };
}

/** The worker's error, re-created on this side as an ImagingError. */
export function deserializeError(error: SerializedError): ImagingError {
  const code: ImagingErrorCode = CODES.has(error.code) ? error.code : 'malformed';
  return new ImagingError({
    code,
    message: String(error.message),
    hint: error.hint,
    details: error.details
  });
}

/** The distinct ArrayBuffers behind a result's pixels, to transfer rather than copy. */
export function pixelBuffers(result: DecodedDicom | NiftiVolume): ArrayBuffer[] {
  const views: ArrayBufferView[] =
    'frames' in result ? result.frames.map(f => f.pixels) : [result.data];
  const out = new Set<ArrayBuffer>();
  for (const v of views) if (v.buffer instanceof ArrayBuffer) out.add(v.buffer);
  if ('input' in result && result.input) out.add(result.input);
  return [...out];
}
