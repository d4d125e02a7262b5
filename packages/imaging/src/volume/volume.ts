// The scalar volume every viewer, CLI and reslice path shares: typed voxels in index space (i fastest,
// then j, k, frame) plus the patient (LPS) geometry that places them.
import type { Vec3 } from '../dicom/parse.js';
import { ImagingError } from '../errors.js';
import type { VoiWindow } from '../lut/voi.js';
import { DEFAULT_MAX_VOXEL_BYTES } from '../worker/niftiSize.js';

export type VolumeData =
  | Int16Array
  | Uint16Array
  | Float32Array
  | Uint8Array
  | Int8Array
  | Int32Array
  | Uint32Array
  | Float64Array;

export interface Volume {
  /** Columns (i), rows (j), slices (k). */
  dims: [number, number, number];
  /** 4th dimension (NIfTI 4D, several phases/echoes per position); 1 otherwise. */
  frames: number;
  /** Stored values, i fastest, then j, k, frame. */
  data: VolumeData;
  /** `data` is interleaved RGB Uint8 (3 per voxel). */
  rgb?: boolean;
  /** mm between neighbouring voxels along i, j, k. */
  spacing: [number, number, number];
  /** Patient position of voxel (0,0,0), LPS mm. */
  origin: Vec3;
  /** Unit vectors of i, j, k in LPS. */
  direction: [Vec3, Vec3, Vec3];
  /** Modality LUT (stored → real values). */
  rescale: { slope: number; intercept: number };
  /** From the header; may be empty. */
  windows: VoiWindow[];
  /** Missing/uneven slices etc.: human text, no PHI. */
  warnings: string[];
  /** MONOCHROME1: the minimum is white (the view inverts after the VOI LUT). */
  invert?: boolean;
  /** DICOM Modality (CT, MR, …), for presets; absent for NIfTI. */
  modality?: string;
}

export type Axis = 'axial' | 'coronal' | 'sagittal';

export const AXES: readonly Axis[] = ['axial', 'coronal', 'sagittal'];

export { DEFAULT_MAX_VOXEL_BYTES };

export type VolumeDataKind =
  'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'float32' | 'float64';

const CTORS = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  float32: Float32Array,
  float64: Float64Array
} as const;

export function bytesPerElement(kind: VolumeDataKind): number {
  return CTORS[kind].BYTES_PER_ELEMENT;
}

/** Throws ImagingError 'tooLarge' unless `bytes` fits `limit`; call before allocating. */
export function checkVoxelBytes(
  bytes: number,
  limit: number = DEFAULT_MAX_VOXEL_BYTES,
  what = 'volume'
): void {
  if (!Number.isFinite(bytes) || bytes > limit || bytes > Number.MAX_SAFE_INTEGER) {
    const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
    throw new ImagingError({
      code: 'tooLarge',
      message: `The ${what} needs ${Number.isFinite(bytes) ? mib(bytes) : 'an absurd amount of memory'}, over the ${mib(limit)} limit.`,
      details: { bytes, limit }
    });
  }
}

/** A zeroed voxel array of `count` elements after checking the allocation limit. */
export function allocateVolumeData(
  kind: VolumeDataKind,
  count: number,
  maxVoxelBytes: number = DEFAULT_MAX_VOXEL_BYTES
): VolumeData {
  checkVoxelBytes(count * bytesPerElement(kind), maxVoxelBytes);
  return new CTORS[kind](count);
}

/** Same element type as `like`, `count` elements. */
export function sameKind(like: VolumeData, count: number): VolumeData {
  const Ctor = like.constructor as new (n: number) => VolumeData;
  return new Ctor(count);
}

/** Values per voxel: 3 for RGB, else 1. */
export function components(volume: Pick<Volume, 'rgb'>): 1 | 3 {
  return volume.rgb ? 3 : 1;
}

/** Patient (LPS) position of fractional voxel index (i, j, k). */
export function indexToPatient(
  volume: Pick<Volume, 'origin' | 'direction' | 'spacing'>,
  i: number,
  j: number,
  k: number
): Vec3 {
  const { origin: o, direction: d, spacing: s } = volume;
  const a = i * s[0];
  const b = j * s[1];
  const c = k * s[2];
  return [
    o[0] + a * d[0][0] + b * d[1][0] + c * d[2][0],
    o[1] + a * d[0][1] + b * d[1][1] + c * d[2][1],
    o[2] + a * d[0][2] + b * d[1][2] + c * d[2][2]
  ];
}

/** Minimum and maximum stored value of one frame (all frames when `frame` is omitted). */
export function volumeRange(volume: Volume, frame?: number): { min: number; max: number } {
  const n = volume.dims[0] * volume.dims[1] * volume.dims[2] * components(volume);
  const start = frame === undefined ? 0 : frame * n;
  const end = frame === undefined ? volume.data.length : start + n;
  const d = volume.data;
  let min = Infinity;
  let max = -Infinity;
  for (let i = start; i < end; i++) {
    const v = d[i];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : { min: 0, max: 0 };
}
