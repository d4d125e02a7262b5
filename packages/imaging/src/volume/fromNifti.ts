// NiftiVolume → Volume. NIfTI voxels are already i fastest, then j, k, t, so the data is shared, not
// copied (except 64-bit integers and RGBA). The RAS+ affine becomes LPS by negating x and y; its
// columns give spacing (length) and direction (unit vector).
import type { Vec3 } from '../dicom/parse.js';
import type { NiftiVolume } from '../nifti/read.js';
import {
  checkVoxelBytes,
  DEFAULT_MAX_VOXEL_BYTES,
  type Volume,
  type VolumeData
} from './volume.js';

export interface VolumeFromNiftiOptions {
  /** Limit for a conversion copy (64-bit integers, RGBA). Default 1 GiB. */
  maxVoxelBytes?: number;
}

/** NIFTI_INTENT_LABEL: the values are labels (a segmentation). */
export const NIFTI_INTENT_LABEL = 1002;

function voxels(n: NiftiVolume): VolumeData {
  const d = n.data;
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) {
    const out = new Float64Array(d.length);
    for (let p = 0; p < d.length; p++) out[p] = Number(d[p]);
    return out;
  }
  return d;
}

export function volumeFromNifti(nifti: NiftiVolume, options: VolumeFromNiftiOptions = {}): Volume {
  const max = options.maxVoxelBytes ?? DEFAULT_MAX_VOXEL_BYTES;
  const warnings: string[] = [];
  const d = nifti.dims;
  const dims: [number, number, number] = [
    Math.max(1, d[0] ?? 1),
    Math.max(1, d[1] ?? 1),
    Math.max(1, d[2] ?? 1)
  ];
  const frames = d.slice(3).reduce((p, n) => p * Math.max(1, n), 1);

  let data: VolumeData;
  if (nifti.data instanceof BigInt64Array || nifti.data instanceof BigUint64Array) {
    checkVoxelBytes(nifti.data.length * 8, max);
    data = voxels(nifti);
    if (data.some(v => Math.abs(v) > Number.MAX_SAFE_INTEGER))
      warnings.push('64-bit integer voxels beyond ±2^53 are shown rounded.');
  } else if (nifti.components === 4) {
    // RGBA32 → RGB: the viewer's colour path is RGB; alpha is dropped.
    const n = nifti.data.length / 4;
    checkVoxelBytes(n * 3, max);
    const src = nifti.data as Uint8Array;
    const rgb = new Uint8Array(n * 3);
    for (let p = 0, q = 0; p < src.length; p += 4, q += 3) {
      rgb[q] = src[p];
      rgb[q + 1] = src[p + 1];
      rgb[q + 2] = src[p + 2];
    }
    data = rgb;
    warnings.push('RGBA voxels are shown without their alpha channel.');
  } else {
    data = nifti.data as VolumeData;
  }

  // RAS+ → LPS+: negate the x and y rows.
  const a = nifti.affine;
  const lps = [0, 1, 2].map(r => a[r].map(v => (r < 2 ? -v : v)));
  const spacing: [number, number, number] = [1, 1, 1];
  const direction: [Vec3, Vec3, Vec3] = [
    [1, 0, 0],
    [0, 1, 0],
    [0, 0, 1]
  ];
  for (let c = 0; c < 3; c++) {
    const col: Vec3 = [lps[0][c], lps[1][c], lps[2][c]];
    const len = Math.hypot(col[0], col[1], col[2]);
    if (len > 0 && Number.isFinite(len)) {
      spacing[c] = len;
      direction[c] = [col[0] / len, col[1] / len, col[2] / len];
    } else {
      warnings.push(`The NIfTI affine gives voxel axis ${c + 1} no length; 1 mm assumed.`);
      direction[c] = [0, 0, 0];
      direction[c][c] = c < 2 ? -1 : 1;
    }
  }
  const dot = (p: Vec3, q: Vec3) => p[0] * q[0] + p[1] * q[1] + p[2] * q[2];
  const shear = Math.max(
    Math.abs(dot(direction[0], direction[1])),
    Math.abs(dot(direction[0], direction[2])),
    Math.abs(dot(direction[1], direction[2]))
  );
  if (shear > 1e-3) warnings.push('The NIfTI affine is sheared; shown without correction.');
  if (nifti.affineSource === 'pixdim')
    warnings.push('The NIfTI file has no qform or sform: its orientation is unknown.');

  const windows =
    nifti.calMax > nifti.calMin
      ? [{ center: (nifti.calMax + nifti.calMin) / 2, width: nifti.calMax - nifti.calMin }]
      : [];
  return {
    dims,
    frames,
    data,
    ...(nifti.components > 1 ? { rgb: true } : {}),
    spacing,
    origin: [lps[0][3], lps[1][3], lps[2][3]],
    direction,
    rescale: { slope: nifti.sclSlope, intercept: nifti.sclInter },
    windows,
    warnings
  };
}
