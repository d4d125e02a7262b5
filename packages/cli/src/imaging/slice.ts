// One 2-D slice of the input as STORED values (before rescale) plus what rendering it needs.
// Without --axis the slice is the file's own: a series folder's k-th slice in patient-position
// order, a DICOM file's frame, a NIfTI volume's k-th voxel plane in file order — in-plane exactly as
// stored. With --axis the slice comes from the volume's reslice (see volume.ts).
import {
  decodeFrame,
  headerWindows,
  parseDicom,
  type NiftiVolume,
  type ParsedDicom,
  type VoiWindow,
  type VoxelArray
} from '@radlab/imaging';
import { readFile } from 'node:fs/promises';
import { EXIT_IMAGE, ImagingCliError, usageError } from './failure.js';
import type { ImageInput, SeriesInput } from './source.js';

export type SliceAxis = 'axial' | 'coronal' | 'sagittal';

export interface SliceRequest {
  index: number;
  /** Undefined: the file's own slices. */
  axis?: SliceAxis;
  frame?: number;
  /** 1-based series of a folder (largest first). */
  series?: number;
}

export interface StoredSlice {
  width: number;
  height: number;
  /** 3: interleaved RGB; 4: RGBA (NIfTI rgba32). */
  samples: 1 | 3 | 4;
  /** Stored values, row-major, at the file's own sample type. */
  data: VoxelArray;
  rescale: { rescaleSlope: number; rescaleIntercept: number };
  windows: VoiWindow[];
  /** MONOCHROME1: the minimum is white. */
  invert: boolean;
  /** e.g. "slice 3 of 8 (patient-position order)" — for the one status line. */
  label: string;
  /** Volume warnings (missing slices, …): human text, no PHI. */
  warnings?: string[];
}

function checkIndex(what: string, index: number, count: number): void {
  if (index >= count) {
    throw usageError(`${what} ${index} is out of range: the image has ${count} (0..${count - 1})`);
  }
}

export function pickSeries(input: SeriesInput, number = 1): SeriesInput['series'][number] {
  const s = input.series[number - 1];
  if (!s) {
    throw usageError(
      `series ${number} does not exist: the folder holds ${input.series.length}`,
      'radlab imaging info lists them'
    );
  }
  return s;
}

/** The header's display range (cal_min/cal_max) as a window, when set. */
export function niftiWindows(v: NiftiVolume): VoiWindow[] {
  if (!(v.calMax > v.calMin)) return [];
  return [{ center: (v.calMax + v.calMin) / 2, width: v.calMax - v.calMin, fn: 'LINEAR_EXACT' }];
}

function niftiSlice(v: NiftiVolume, index: number, frame: number): StoredSlice {
  const [nx, ny, nz] = [0, 1, 2].map(i => Math.max(1, v.dims[i] ?? 1));
  const frames = v.dims.slice(3).reduce((p, n) => p * Math.max(1, n), 1);
  checkIndex('slice', index, nz);
  checkIndex('frame', frame, frames);
  const n = nx * ny * v.components;
  const start = (frame * nz + index) * n;
  return {
    width: nx,
    height: ny,
    samples: v.components,
    data: v.data.slice(start, start + n) as VoxelArray,
    rescale: { rescaleSlope: v.sclSlope, rescaleIntercept: v.sclInter },
    windows: niftiWindows(v),
    invert: false,
    label: `slice ${index} of ${nz}${frames > 1 ? `, frame ${frame} of ${frames}` : ''} (file order)`
  };
}

async function dicomSlice(
  parsed: ParsedDicom,
  frameIndex: number,
  label: string,
  name: string
): Promise<StoredSlice> {
  const h = parsed.header;
  checkIndex('frame', frameIndex, h.numberOfFrames);
  let frame;
  try {
    frame = await decodeFrame(parsed, frameIndex);
  } catch (e) {
    throw withName(e, name);
  }
  return {
    width: frame.columns,
    height: frame.rows,
    samples: frame.samplesPerPixel === 3 ? 3 : 1,
    data: frame.pixels,
    rescale: { rescaleSlope: h.rescaleSlope, rescaleIntercept: h.rescaleIntercept },
    windows: headerWindows(h),
    invert: frame.invert,
    label
  };
}

function withName(e: unknown, name: string): unknown {
  if (e instanceof Error && !(e instanceof ImagingCliError)) {
    return new ImagingCliError(`${name}: ${e.message}`, EXIT_IMAGE, (e as { hint?: string }).hint);
  }
  return e;
}

/** The file's own slice `index` (frame of a DICOM file). */
export async function nativeSlice(input: ImageInput, request: SliceRequest): Promise<StoredSlice> {
  const frame = request.frame ?? 0;
  if (input.kind === 'nifti') return niftiSlice(input.volume, request.index, frame);
  if (frame !== 0) {
    throw usageError('--frame applies to 4-D NIfTI volumes; for a DICOM file --index is the frame');
  }
  if (input.kind === 'dicom') {
    const h = input.parsed.header;
    checkIndex('frame', request.index, h.numberOfFrames);
    return dicomSlice(
      input.parsed,
      request.index,
      `frame ${request.index} of ${h.numberOfFrames}`,
      input.name
    );
  }
  const series = pickSeries(input, request.series);
  checkIndex('slice', request.index, series.slices.length);
  const slice = series.slices[request.index];
  const order =
    series.orderedBy === 'position' ? 'patient-position order' : 'instance-number order';
  return dicomSlice(
    parseDicom(await readFile(slice.file)),
    0,
    `slice ${request.index} of ${series.slices.length} (${order})`,
    slice.name
  );
}
