// NIfTI-1/NIfTI-2 (.nii, .nii.gz) → voxel typed array + 4×4 RAS+ affine, via nifti-reader-js.
// Voxels are a view on the (decompressed) file buffer when byte order and alignment allow.
import * as nifti from 'nifti-reader-js';
import { ImagingError } from '../errors.js';

export type VoxelArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

export interface NiftiVolume {
  version: 1 | 2;
  /** Sizes per axis, from dim[1] for dim[0] axes: [nx, ny, nz, nt, …]. */
  dims: number[];
  /** Voxel sizes for the same axes (pixdim[1..]). */
  pixdims: number[];
  datatypeCode: number;
  datatype: string;
  /** 3 for RGB24 (interleaved RGB per voxel), else 1. */
  components: 1 | 3;
  /** x fastest, then y, z, t (NIfTI order). */
  data: VoxelArray;
  /** Effective scaling: scl_slope 0 (or NaN) means no scaling: slope 1, intercept 0. */
  sclSlope: number;
  sclInter: number;
  /** Row-major 4×4 voxel (i,j,k) → RAS+ mm. */
  affine: number[][];
  affineSource: 'sform' | 'qform' | 'pixdim';
  littleEndian: boolean;
  description: string;
}

const TYPES: Record<
  number,
  {
    name: string;
    bytes: number;
    array?: new (b: ArrayBufferLike, o: number, n: number) => VoxelArray;
  }
> = {
  2: { name: 'uint8', bytes: 1, array: Uint8Array },
  4: { name: 'int16', bytes: 2, array: Int16Array },
  8: { name: 'int32', bytes: 4, array: Int32Array },
  16: { name: 'float32', bytes: 4, array: Float32Array },
  64: { name: 'float64', bytes: 8, array: Float64Array },
  128: { name: 'rgb24', bytes: 3, array: Uint8Array },
  256: { name: 'int8', bytes: 1, array: Int8Array },
  512: { name: 'uint16', bytes: 2, array: Uint16Array },
  768: { name: 'uint32', bytes: 4, array: Uint32Array },
  1024: { name: 'int64', bytes: 8, array: BigInt64Array },
  1280: { name: 'uint64', bytes: 8, array: BigUint64Array }
};

function toArrayBuffer(input: ArrayBuffer | Uint8Array): ArrayBuffer {
  if (input instanceof ArrayBuffer) return input;
  if (
    input.byteOffset === 0 &&
    input.byteLength === input.buffer.byteLength &&
    input.buffer instanceof ArrayBuffer
  ) {
    return input.buffer;
  }
  return input.slice().buffer as ArrayBuffer;
}

/** Quaternion (NIfTI-1 method 2) → affine, as nifti1_io.c's quatern_to_mat44. */
export function qformToAffine(
  b: number,
  c: number,
  d: number,
  offset: [number, number, number],
  pixdim: [number, number, number],
  qfac: number
): number[][] {
  let a = 1 - (b * b + c * c + d * d);
  if (a < 1e-7) {
    const s = 1 / Math.sqrt(b * b + c * c + d * d);
    b *= s;
    c *= s;
    d *= s;
    a = 0;
  } else a = Math.sqrt(a);
  const [dx, dy] = pixdim;
  const dz = pixdim[2] * (qfac < 0 ? -1 : 1);
  return [
    [
      (a * a + b * b - c * c - d * d) * dx,
      2 * (b * c - a * d) * dy,
      2 * (b * d + a * c) * dz,
      offset[0]
    ],
    [
      2 * (b * c + a * d) * dx,
      (a * a + c * c - b * b - d * d) * dy,
      2 * (c * d - a * b) * dz,
      offset[1]
    ],
    [
      2 * (b * d - a * c) * dx,
      2 * (c * d + a * b) * dy,
      (a * a + d * d - c * c - b * b) * dz,
      offset[2]
    ],
    [0, 0, 0, 1]
  ];
}

function sformRows(buf: ArrayBuffer, version: 1 | 2, littleEndian: boolean): number[][] {
  const view = new DataView(buf);
  const rows: number[][] = [];
  for (let r = 0; r < 3; r++) {
    const row: number[] = [];
    for (let c = 0; c < 4; c++) {
      row.push(
        version === 1
          ? view.getFloat32(280 + (r * 4 + c) * 4, littleEndian)
          : view.getFloat64(400 + (r * 4 + c) * 8, littleEndian)
      );
    }
    rows.push(row);
  }
  rows.push([0, 0, 0, 1]);
  return rows;
}

function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i + size <= bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}

/** Read a single-file NIfTI-1/2 image, gzip-compressed or not. */
export function readNifti(input: ArrayBuffer | Uint8Array): NiftiVolume {
  let buf = toArrayBuffer(input);
  if (nifti.isCompressed(buf)) buf = nifti.decompress(buf) as ArrayBuffer;
  if (!nifti.isNIFTI(buf))
    throw new ImagingError({ code: 'malformed', message: 'Not a NIfTI-1 or NIfTI-2 file.' });
  const version: 1 | 2 = nifti.isNIFTI2(buf) ? 2 : 1;
  const h = nifti.readHeader(buf);
  const type = TYPES[h.datatypeCode];
  if (!type?.array) {
    throw new ImagingError({
      code: 'unsupportedPixelFormat',
      message: `NIfTI datatype ${h.datatypeCode} is not supported.`,
      details: { datatypeCode: h.datatypeCode }
    });
  }
  const ndim = Math.max(1, Math.min(7, h.dims[0]));
  const dims = h.dims.slice(1, 1 + ndim);
  const pixdims = h.pixDims.slice(1, 1 + ndim);
  const voxels = dims.reduce((p, n) => p * Math.max(1, n), 1);
  const components: 1 | 3 = h.datatypeCode === 128 ? 3 : 1;
  const count = voxels * components;
  const byteLength = voxels * type.bytes;
  const offset = Number(h.vox_offset);
  if (offset + byteLength > buf.byteLength) {
    throw new ImagingError({
      code: 'malformed',
      message: `NIfTI data is truncated: needs ${offset + byteLength} bytes, has ${buf.byteLength}.`
    });
  }
  const elementSize = components === 3 ? 1 : type.bytes;
  const hostLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  let data: VoxelArray;
  if (offset % elementSize === 0 && (elementSize === 1 || h.littleEndian === hostLE)) {
    data = new type.array(buf, offset, count);
  } else {
    const copy = new Uint8Array(buf.slice(offset, offset + byteLength));
    if (elementSize > 1 && h.littleEndian !== hostLE) swapBytes(copy, elementSize);
    data = new type.array(copy.buffer, 0, count);
  }

  let affine: number[][];
  let affineSource: NiftiVolume['affineSource'];
  if (h.sform_code > 0) {
    affine = sformRows(buf, version, h.littleEndian);
    affineSource = 'sform';
  } else if (h.qform_code > 0) {
    affine = qformToAffine(
      h.quatern_b,
      h.quatern_c,
      h.quatern_d,
      [h.qoffset_x, h.qoffset_y, h.qoffset_z],
      [h.pixDims[1], h.pixDims[2], h.pixDims[3]],
      h.pixDims[0] < 0 ? -1 : 1
    );
    affineSource = 'qform';
  } else {
    affine = [
      [h.pixDims[1] || 1, 0, 0, 0],
      [0, h.pixDims[2] || 1, 0, 0],
      [0, 0, h.pixDims[3] || 1, 0],
      [0, 0, 0, 1]
    ];
    affineSource = 'pixdim';
  }
  const scaled = Number.isFinite(h.scl_slope) && h.scl_slope !== 0;
  return {
    version,
    dims,
    pixdims,
    datatypeCode: h.datatypeCode,
    datatype: type.name,
    components,
    data,
    sclSlope: scaled ? h.scl_slope : 1,
    sclInter: scaled && Number.isFinite(h.scl_inter) ? h.scl_inter : 0,
    affine,
    affineSource,
    littleEndian: h.littleEndian,
    description: h.description ?? ''
  };
}
