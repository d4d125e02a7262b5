// --axis: the input as a @radlab/imaging Volume, resliced in a patient plane (the viewer's MPR).
// Series files decode in a worker_threads pool (@radlab/imaging/node); the VolumeBuilder places
// each decoded frame at its slot, so files may finish in any order.
import { open } from 'node:fs/promises';
import {
  decodeFrame,
  parseDicom,
  reslice,
  sliceCount,
  spareBuffer,
  VolumeBuilder,
  volumeFromNifti,
  type Axis,
  type ImagingDecoder,
  type Volume
} from '@radlab/imaging';
import { createNodeDecoder } from '@radlab/imaging/node';
import { toDisplay } from './display.js';
import { EXIT_IMAGE, ImagingCliError } from './failure.js';
import {
  checkIndex,
  numbered,
  pickSeries,
  type SliceAxis,
  type SliceRequest,
  type StoredSlice
} from './slice.js';
import type { ImageInput, SeriesSlice } from './source.js';

/** Decoder threads for a series (the CLI runs alone; the machines it targets have 2+ cores). */
const WORKERS = 2;

/** Files in flight per worker: enough to keep both busy while the next file is read. */
const READ_AHEAD = 2;

/** The whole file, read into `spare` when it is large enough (else a new buffer). */
async function readInto(path: string, spare: ArrayBuffer | undefined): Promise<Uint8Array> {
  const file = await open(path);
  try {
    const { size } = await file.stat();
    const bytes = new Uint8Array(
      spare && spare.byteLength >= size ? spare : new ArrayBuffer(size),
      0,
      size
    );
    let at = 0;
    while (at < size) {
      const { bytesRead } = await file.read(bytes, at, size - at, at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return bytes.subarray(0, at);
  } finally {
    await file.close();
  }
}

/** Uncompressed transfer syntaxes (implicit/explicit little endian, explicit big endian). */
const NATIVE = new Set(['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2']);

/**
 * An uncompressed series needs no decoding, only copying: each file is read into one reused buffer
 * and its pixels (a view into it) copied into the volume, so nothing is left for the garbage
 * collector and the peak stays near the volume's own size.
 */
async function nativeSeriesVolume(slices: readonly SeriesSlice[]): Promise<Volume> {
  const builder = new VolumeBuilder(slices.map(s => s.header));
  let buffer: ArrayBuffer | undefined;
  for (let i = 0; i < slices.length; i++) {
    const slice = slices[i];
    try {
      const bytes = await readInto(slice.file, buffer);
      buffer = bytes.buffer as ArrayBuffer;
      builder.setFrame(i, await decodeFrame(parseDicom(bytes), 0));
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new ImagingCliError(`${slice.name}: ${message}`, EXIT_IMAGE);
    }
  }
  return builder.finish();
}

/**
 * One series' slices → Volume, decoding in `decoder` (the caller owns and disposes it). Files are
 * read as lanes need them, so at most `READ_AHEAD` files per worker are in memory at once.
 */
export async function seriesVolume(
  slices: readonly SeriesSlice[],
  decoder: ImagingDecoder,
  workers: number
): Promise<Volume> {
  if (slices.every(s => NATIVE.has(s.header.transferSyntaxUID) && s.header.numberOfFrames === 1))
    return nativeSeriesVolume(slices);
  const builder = new VolumeBuilder(slices.map(s => s.header));
  let next = 0;
  const lane = async (): Promise<void> => {
    // Each lane recycles its file and frame buffers (handed back by the worker): a series
    // loads without one garbage file and one garbage frame per slice.
    let input: ArrayBuffer | undefined;
    let spare: ArrayBuffer | undefined;
    while (next < slices.length) {
      const i = next++;
      const slice = slices[i];
      try {
        const decoded = await decoder.dicom(await readInto(slice.file, input), {
          frames: [0],
          into: spare ? [spare] : undefined
        });
        for (const frame of decoded.frames) builder.setFrame(i, frame);
        input = decoded.input;
        spare = spareBuffer(decoded.frames[0]?.pixels);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        throw new ImagingCliError(`${slice.name}: ${message}`, EXIT_IMAGE);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(slices.length, workers * READ_AHEAD) }, lane));
  return builder.finish();
}

async function volumeOf(input: ImageInput, request: SliceRequest): Promise<Volume> {
  if (input.kind === 'nifti') return volumeFromNifti(input.volume);
  if (input.kind === 'series') {
    const decoder = createNodeDecoder(WORKERS);
    try {
      return await seriesVolume(pickSeries(input, request.series).slices, decoder, WORKERS);
    } finally {
      decoder.dispose();
    }
  }
  // One (multi-frame) file: its frames are the slices; positions from per-frame geometry if any.
  const h = input.parsed.header;
  const builder = new VolumeBuilder([h]);
  for (let f = 0; f < h.numberOfFrames; f++)
    builder.setFrame(0, await decodeFrame(input.parsed, f));
  return builder.finish();
}

const PATIENT_AXIS: Record<SliceAxis, number> = { sagittal: 0, coronal: 1, axial: 2 };
const INDEX_PLANE: Axis[] = ['sagittal', 'coronal', 'axial'];

/**
 * reslice() cuts planes of the volume's index space (k fixed = 'axial', j = 'coronal', i =
 * 'sagittal'). A patient plane is the index plane whose fixed axis runs most nearly along the plane's
 * normal (L/R for sagittal, A/P for coronal, S/I for axial), so a sagittal acquisition's --axis
 * sagittal is its own slices.
 */
export function indexPlane(volume: Pick<Volume, 'direction'>, axis: SliceAxis): Axis {
  const p = PATIENT_AXIS[axis];
  let best = 2;
  for (const a of [1, 0]) {
    if (Math.abs(volume.direction[a][p]) > Math.abs(volume.direction[best][p])) best = a;
  }
  return INDEX_PLANE[best];
}

/**
 * Slice `index` (along the volume's own axis) of the patient plane `axis`, displayed
 * radiologically (see display.ts).
 */
export async function reslicedSlice(
  input: ImageInput,
  request: SliceRequest
): Promise<StoredSlice> {
  const axis = request.axis ?? 'axial';
  const volume = await volumeOf(input, request);
  const plane = indexPlane(volume, axis);
  const frame = request.frame ?? 0;
  const count = sliceCount(volume, plane);
  checkIndex(`${axis} slice`, request.index, count, request.given);
  checkIndex('frame', frame, volume.frames);
  const slice = toDisplay(reslice(volume, plane, request.index, frame), axis, volume.rgb ? 3 : 1);
  const { top, bottom, left, right } = slice.labels;
  const frames = volume.frames > 1 ? `, ${numbered('frame', frame, volume.frames)}` : '';
  return {
    width: slice.width,
    height: slice.height,
    samples: volume.rgb ? 3 : 1,
    data: slice.data,
    rescale: { rescaleSlope: volume.rescale.slope, rescaleIntercept: volume.rescale.intercept },
    windows: volume.windows,
    invert: volume.invert === true,
    pixelSpacing: slice.pixelSpacing,
    label: `${numbered(`${axis} slice`, request.index, count)}${frames} (top ${top}, bottom ${bottom}, left ${left}, right ${right})`,
    warnings: volume.warnings
  };
}
