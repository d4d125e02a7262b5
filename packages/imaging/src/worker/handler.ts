// The work a decoder worker does for one request; also what the inline decoder runs.
import { decodeDicom, type DecodedDicom } from '../dicom/file.js';
import { readNifti, type NiftiVolume } from '../nifti/read.js';
import { niftiBytesWithinLimit } from './niftiSize.js';
import {
  pixelBuffers,
  serializeError,
  type DecodeRequest,
  type DecodeResponse,
  type DicomRequestOptions,
  type NiftiRequestOptions
} from './protocol.js';
import { ImagingError } from '../errors.js';

export async function decodeDicomRequest(
  bytes: ArrayBuffer | Uint8Array,
  options: DicomRequestOptions & { signal?: AbortSignal }
): Promise<DecodedDicom> {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const result = await decodeDicom(view, options);
  // Hand the file's buffer back for reuse unless a frame is a view of it (native pixel data).
  const buffer = view.buffer;
  if (buffer instanceof ArrayBuffer && result.frames.every(f => f.pixels.buffer !== buffer))
    result.input = buffer;
  return result;
}

export function decodeNiftiRequest(
  bytes: ArrayBuffer,
  name: string,
  options: NiftiRequestOptions
): NiftiVolume {
  const raw = niftiBytesWithinLimit(bytes, name, options.maxVoxelBytes);
  try {
    return readNifti(raw);
  } catch (cause) {
    if (cause instanceof ImagingError) throw cause;
    throw new ImagingError({
      code: 'malformed',
      message: `Not a readable NIfTI file: ${cause instanceof Error ? cause.message : String(cause)}`,
      cause
    });
  }
}

/** Runs one request; never throws: failures become an error response. */
export async function handleRequest(
  request: DecodeRequest
): Promise<{ response: DecodeResponse; transfer: ArrayBuffer[] }> {
  try {
    const result =
      request.op === 'dicom'
        ? await decodeDicomRequest(request.bytes, request.options)
        : decodeNiftiRequest(request.bytes, request.name, request.options);
    return { response: { id: request.id, ok: true, result }, transfer: pixelBuffers(result) };
  } catch (error) {
    return { response: { id: request.id, ok: false, error: serializeError(error) }, transfer: [] };
  }
}
