// NIfTI-1/NIfTI-2 (.nii, .nii.gz) → voxel typed array + 4×4 RAS+ affine, via nifti-reader-js.
// Voxels are a view on the (decompressed) file buffer when byte order and alignment allow.
import { Gunzip } from 'fflate';
import * as nifti from 'nifti-reader-js';
import { ImagingError } from '../errors.js';
import { DEFAULT_MAX_VOXEL_BYTES, niftiBytesWithinLimit } from '../worker/niftiSize.js';

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
  /** 3 for RGB24, 4 for RGBA32 (interleaved per voxel), else 1. */
  components: 1 | 3 | 4;
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
  /** NIfTI intent (1002 = NIFTI_INTENT_LABEL: a label map). */
  intentCode: number;
  /** intent_name: e.g. the label set's name. */
  intentName: string;
  /** aux_file: a companion file's name (FSL and FreeSurfer name a label map's colour table here). */
  auxFile: string;
  /** Display range from the header (cal_min/cal_max); both 0 when unset. */
  calMin: number;
  calMax: number;
  /** The header came from a .hdr/.img pair. */
  pair?: boolean;
}

export interface ReadNiftiOptions {
  /** Voxel memory limit, checked from the header before inflating or copying. Default 1 GiB. */
  maxVoxelBytes?: number;
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
  2304: { name: 'rgba32', bytes: 4, array: Uint8Array },
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

const hostLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type Header = ReturnType<typeof nifti.readHeader>;

function header(buf: ArrayBuffer, pair: boolean): { h: Header; version: 1 | 2 } {
  if (!nifti.isNIFTI(buf, pair))
    throw new ImagingError({ code: 'malformed', message: 'Not a NIfTI-1 or NIfTI-2 file.' });
  try {
    return { h: nifti.readHeader(buf, pair), version: nifti.isNIFTI2(buf, pair) ? 2 : 1 };
  } catch (cause) {
    throw new ImagingError({ code: 'malformed', message: 'Unreadable NIfTI header.', cause });
  }
}

/** Header fields + voxels from `img` at byte `offset` (the same buffer for a single file). */
function assemble(
  h: Header,
  version: 1 | 2,
  headerBuf: ArrayBuffer,
  img: ArrayBuffer,
  offset: number,
  maxVoxelBytes: number
): NiftiVolume {
  const type = TYPES[h.datatypeCode];
  if (!type?.array) {
    throw new ImagingError({
      code: 'unsupportedPixelFormat',
      message: `NIfTI datatype ${h.datatypeCode} is not supported.`,
      details: { datatypeCode: h.datatypeCode }
    });
  }
  const ndim = h.dims[0];
  if (!Number.isInteger(ndim) || ndim < 1 || ndim > 7)
    throw new ImagingError({
      code: 'malformed',
      message: `NIfTI dim[0] ${ndim} is not 1..7.`
    });
  const dims = h.dims.slice(1, 1 + ndim).map(n => Number(n));
  if (dims.some(n => !Number.isInteger(n) || n < 0))
    throw new ImagingError({
      code: 'malformed',
      message: `NIfTI dimensions ${dims.join('×')} are not valid.`
    });
  const pixdims = h.pixDims.slice(1, 1 + ndim);
  const voxels = dims.reduce((p, n) => p * Math.max(1, n), 1);
  const components = (h.datatypeCode === 128 ? 3 : h.datatypeCode === 2304 ? 4 : 1) as 1 | 3 | 4;
  const count = voxels * components;
  const byteLength = voxels * type.bytes;
  if (!Number.isFinite(byteLength) || byteLength > maxVoxelBytes) {
    throw new ImagingError({
      code: 'tooLarge',
      message: `The NIfTI image needs ${byteLength} bytes of voxels, over the limit of ${maxVoxelBytes}.`,
      details: { needBytes: byteLength, maxBytes: maxVoxelBytes }
    });
  }
  if (!Number.isFinite(offset) || offset < 0 || offset + byteLength > img.byteLength) {
    throw new ImagingError({
      code: 'malformed',
      message: `NIfTI data is truncated: needs ${offset + byteLength} bytes, has ${img.byteLength}.`
    });
  }
  const elementSize = components > 1 ? 1 : type.bytes;
  let data: VoxelArray;
  if (offset % elementSize === 0 && (elementSize === 1 || h.littleEndian === hostLE)) {
    data = new type.array(img, offset, count);
  } else {
    const copy = new Uint8Array(img.slice(offset, offset + byteLength));
    if (elementSize > 1 && h.littleEndian !== hostLE) swapBytes(copy, elementSize);
    data = new type.array(copy.buffer, 0, count);
  }

  let affine: number[][];
  let affineSource: NiftiVolume['affineSource'];
  if (h.sform_code > 0) {
    affine = sformRows(headerBuf, version, h.littleEndian);
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
  const finite = (v: number) => (Number.isFinite(v) ? v : 0);
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
    description: h.description ?? '',
    intentCode: h.intent_code ?? 0,
    intentName: (h.intent_name ?? '').trim(),
    auxFile: (h.aux_file ?? '').trim(),
    calMin: finite(h.cal_min),
    calMax: finite(h.cal_max)
  };
}

/** Read a single-file NIfTI-1/2 image (.nii), gzip-compressed or not (.nii.gz). */
export function readNifti(
  input: ArrayBuffer | Uint8Array,
  options: ReadNiftiOptions = {}
): NiftiVolume {
  const max = options.maxVoxelBytes ?? DEFAULT_MAX_VOXEL_BYTES;
  // Inflates a .nii.gz into one buffer sized from the header, after checking the limit.
  const buf = niftiBytesWithinLimit(toArrayBuffer(input), '', max);
  const { h, version } = header(buf, false);
  return assemble(h, version, buf, buf, Number(h.vox_offset), max);
}

/** Inflate gzip data, refusing to grow past `max` bytes (a gzip bomb stops here). */
function gunzipBounded(bytes: Uint8Array, expected: number, max: number): ArrayBuffer {
  if (!Number.isFinite(expected) || expected > max) {
    throw new ImagingError({
      code: 'tooLarge',
      message: `The NIfTI image needs ${expected} bytes of voxels, over the limit of ${max}.`,
      details: { needBytes: expected, maxBytes: max }
    });
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    const stream = new Gunzip(chunk => {
      total += chunk.length;
      if (total > expected + 1024 ** 2)
        throw new ImagingError({
          code: 'tooLarge',
          message: `The .img data inflates past the ${expected} bytes its header declares.`,
          details: { needBytes: total, maxBytes: expected }
        });
      parts.push(chunk);
    });
    stream.push(bytes, true);
  } catch (cause) {
    if (cause instanceof ImagingError) throw cause;
    throw new ImagingError({
      code: 'malformed',
      message: 'Corrupt gzip data in the .img file.',
      cause
    });
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out.buffer;
}

/** Read a NIfTI .hdr/.img pair (either may be gzip-compressed). */
export function readNiftiPair(
  hdr: ArrayBuffer | Uint8Array,
  img: ArrayBuffer | Uint8Array,
  options: ReadNiftiOptions = {}
): NiftiVolume {
  const max = options.maxVoxelBytes ?? DEFAULT_MAX_VOXEL_BYTES;
  const hbuf = niftiBytesWithinLimit(toArrayBuffer(hdr), '', max);
  const { h, version } = header(hbuf, true);
  let ibuf = toArrayBuffer(img);
  const ib = new Uint8Array(ibuf);
  if (ib.length > 18 && ib[0] === 0x1f && ib[1] === 0x8b) {
    // The .img has no header of its own: bound the inflated size by what the .hdr declares.
    const type = TYPES[h.datatypeCode];
    const voxels = h.dims.slice(1, 1 + h.dims[0]).reduce((p, n) => p * Math.max(1, n), 1);
    ibuf = gunzipBounded(ib, Number(h.vox_offset || 0) + voxels * (type?.bytes ?? 1), max);
  }
  return { ...assemble(h, version, hbuf, ibuf, Number(h.vox_offset) || 0, max), pair: true };
}
