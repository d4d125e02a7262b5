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
  /** 0-based; the user gives `--slice N` (N = index + 1) or `--index K` (see `given`). */
  index: number;
  /** How the user named the slice, so that an error speaks the same numbering (default 'slice'). */
  given?: 'slice' | 'index';
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
  /** mm per column, per row, when known: the PNG is drawn with square pixels from it. */
  pixelSpacing?: [number, number];
  /** e.g. "slice 3 of 8 (patient-position order)", numbered from 1 — for the one status line. */
  label: string;
  /** Volume warnings (missing slices, …): human text, no PHI. */
  warnings?: string[];
}

/**
 * Throws a usage error unless 0-based `index` is one of `count`. The message counts as the user
 * did: slice and frame numbers from 1 (as the viewer shows them), a voxel `--index` from 0.
 */
export function checkIndex(
  what: string,
  index: number,
  count: number,
  given: 'slice' | 'index' = 'slice'
): void {
  if (index < count) return;
  const noun = count === 1 ? what : `${what}s`;
  if (given === 'index')
    throw usageError(
      `--index ${index} is out of range: the image has ${count} ${noun} (index 0..${count - 1})`
    );
  throw usageError(
    `${what} ${index + 1} is out of range: the image has ${count} ${noun} (1..${count})`
  );
}

/** "slice 3 of 8": 0-based `index` numbered from 1. */
export function numbered(what: string, index: number, count: number): string {
  return `${what} ${index + 1} of ${count}`;
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

function niftiSlice(v: NiftiVolume, request: SliceRequest, frame: number): StoredSlice {
  const index = request.index;
  const [nx, ny, nz] = [0, 1, 2].map(i => Math.max(1, v.dims[i] ?? 1));
  const frames = v.dims.slice(3).reduce((p, n) => p * Math.max(1, n), 1);
  checkIndex('slice', index, nz, request.given);
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
    pixelSpacing: [v.pixdims[0], v.pixdims[1]],
    label: `${numbered('slice', index, nz)}${frames > 1 ? `, ${numbered('frame', frame, frames)}` : ''} (file order)`
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
    // DICOM Pixel Spacing is (between rows, between columns); frames of enhanced files may differ
    ...(pixelSpacingOf(parsed, frameIndex) ?? {}),
    label
  };
}

function pixelSpacingOf(
  parsed: ParsedDicom,
  frame: number
): { pixelSpacing: [number, number] } | undefined {
  const ps = parsed.header.perFrame?.[frame]?.pixelSpacing ?? parsed.header.pixelSpacing;
  return ps ? { pixelSpacing: [ps[1], ps[0]] } : undefined;
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
  if (input.kind === 'nifti') return niftiSlice(input.volume, request, frame);
  if (frame !== 0) {
    throw usageError('--frame applies to 4-D NIfTI volumes; for a DICOM file --slice is the frame');
  }
  if (input.kind === 'dicom') {
    const h = input.parsed.header;
    checkIndex('frame', request.index, h.numberOfFrames, request.given);
    return dicomSlice(
      input.parsed,
      request.index,
      numbered('frame', request.index, h.numberOfFrames),
      input.name
    );
  }
  const series = pickSeries(input, request.series);
  checkIndex('slice', request.index, series.slices.length, request.given);
  const slice = series.slices[request.index];
  const order =
    series.orderedBy === 'position' ? 'patient-position order' : 'instance-number order';
  return dicomSlice(
    parseDicom(await readFile(slice.file)),
    0,
    `${numbered('slice', request.index, series.slices.length)} (${order})`,
    slice.name
  );
}
