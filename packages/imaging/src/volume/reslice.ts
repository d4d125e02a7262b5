// Axial / coronal / sagittal planes of a volume in its own index space (no resampling): the plane
// k = index, j = index or i = index, with the aspect, orientation letters and patient coordinates the
// viewer needs. Copies whole rows where they are contiguous; no allocation per voxel.
import type { Vec3 } from '../dicom/parse.js';
import { negate, orientationLetters } from './orientation.js';
import {
  components,
  indexToPatient,
  sameKind,
  type Axis,
  type Volume,
  type VolumeData
} from './volume.js';

export interface SliceLabels {
  top: string;
  bottom: string;
  left: string;
  right: string;
}

export interface Slice {
  width: number;
  height: number;
  /** Stored values, row-major (x fastest), same element type as the volume; RGB interleaved. */
  data: VolumeData;
  /** mm per column (horizontal step), mm per row (vertical step). */
  pixelSpacing: [number, number];
  /** Orientation letters toward each edge: 'A', 'P', 'R', 'L', 'S', 'I' or oblique pairs ('AR'). */
  labels: SliceLabels;
  index: number;
  count: number;
  /** Patient (LPS, mm) position of pixel (x, y); pixel centres are at whole numbers. */
  toPatient(x: number, y: number): Vec3;
  /** Voxel index (i, j, k) of pixel (x, y). */
  toIndex(x: number, y: number): Vec3;
  axis: Axis;
  frame: number;
  rgb?: boolean;
  /** Columns / rows run against the volume's index order (display flips applied). */
  flipX: boolean;
  flipY: boolean;
  /** Columns run along the later of the plane's two voxel axes (rows and columns swapped). */
  transposed: boolean;
}

export interface ResliceOptions {
  /**
   * 'dicom' (default): the plane as stored, except that coronal and sagittal rows run from superior
   * to inferior (the conventional DICOM display). 'radiological': flipped, and transposed when the
   * storage runs the other way, so that the plane shows as its nearest anatomical plane does in a
   * radiological viewer: axial anterior up, coronal/sagittal superior up, the patient's right on
   * the left (sagittal: anterior on the left). This is how NIfTI viewers show RAS-stored data.
   */
  orient?: 'dicom' | 'radiological';
  /** Reuse this array for the pixels when it has the right type and length. */
  out?: VolumeData;
}

/** [columns axis, rows axis, fixed axis] in index space. */
const PLANES: Record<Axis, [number, number, number]> = {
  axial: [0, 1, 2],
  coronal: [0, 2, 1],
  sagittal: [1, 2, 0]
};

const FIXED: Record<Axis, number> = { axial: 2, coronal: 1, sagittal: 0 };

export function sliceCount(volume: Pick<Volume, 'dims'>, axis: Axis): number {
  return volume.dims[FIXED[axis]];
}

function dominant(v: Vec3): number {
  const a = v.map(Math.abs);
  return a[0] >= a[1] && a[0] >= a[2] ? 0 : a[1] >= a[2] ? 1 : 2;
}

/** Screen right and screen down (LPS) of the radiological display of each anatomical plane. */
const SCREEN: [Vec3, Vec3][] = [
  // Fixed axis along x: sagittal, anterior left, superior up.
  [
    [0, 1, 0],
    [0, 0, -1]
  ],
  // Along y: coronal, patient right on the left, superior up.
  [
    [1, 0, 0],
    [0, 0, -1]
  ],
  // Along z: axial, patient right on the left, anterior up.
  [
    [1, 0, 0],
    [0, 1, 0]
  ]
];

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** [columns axis, rows axis, flip columns, flip rows] for the display. */
function layout(
  volume: Volume,
  axis: Axis,
  orient: 'dicom' | 'radiological'
): [number, number, boolean, boolean] {
  const [a, b, w] = PLANES[axis];
  const d = volume.direction;
  if (orient === 'dicom') return [a, b, false, axis !== 'axial' && d[b][2] > 1e-6];
  // The anatomical plane this index plane is closest to decides the screen axes; the in-plane
  // voxel axis nearer screen-right becomes the columns (rows and columns swap when needed).
  const [right, down] = SCREEN[dominant(d[w])];
  const [u, v] = Math.abs(dot(d[b], right)) > Math.abs(dot(d[a], right)) ? [b, a] : [a, b];
  return [u, v, dot(d[u], right) < 0, dot(d[v], down) < 0];
}

export function reslice(
  volume: Volume,
  axis: Axis,
  index: number,
  frame = 0,
  options: ResliceOptions = {}
): Slice {
  const w = FIXED[axis];
  const [u, v, flipX, flipY] = layout(volume, axis, options.orient ?? 'dicom');
  const [nx, ny, nz] = volume.dims;
  const count = volume.dims[w];
  if (!Number.isInteger(index) || index < 0 || index >= count)
    throw new RangeError(`Slice index ${index} is out of range 0..${count - 1} (${axis}).`);
  if (!Number.isInteger(frame) || frame < 0 || frame >= volume.frames)
    throw new RangeError(`Frame ${frame} is out of range 0..${volume.frames - 1}.`);

  const C = components(volume);
  const strides = [C, nx * C, nx * ny * C];
  const width = volume.dims[u];
  const height = volume.dims[v];
  const n = width * height * C;
  const out =
    options.out && options.out.length === n && options.out.constructor === volume.data.constructor
      ? options.out
      : sameKind(volume.data, n);
  const src = volume.data;
  const base = frame * nx * ny * nz * C + index * strides[w];
  const su = strides[u];
  const sv = strides[v];
  const rowLen = width * C;

  if (!flipX && su === C) {
    // Rows are contiguous runs of the volume (axial, coronal): copy them whole.
    if (!flipY && sv === rowLen) out.set(src.subarray(base, base + n));
    else {
      for (let y = 0; y < height; y++) {
        const s = base + (flipY ? height - 1 - y : y) * sv;
        out.set(src.subarray(s, s + rowLen), y * rowLen);
      }
    }
  } else if (C === 1) {
    const step = flipX ? -su : su;
    for (let y = 0; y < height; y++) {
      let s = base + (flipY ? height - 1 - y : y) * sv + (flipX ? (width - 1) * su : 0);
      let o = y * width;
      const end = o + width;
      for (; o < end; o++, s += step) out[o] = src[s];
    }
  } else {
    for (let y = 0; y < height; y++) {
      const rowBase = base + (flipY ? height - 1 - y : y) * sv;
      for (let x = 0; x < width; x++) {
        const s = rowBase + (flipX ? width - 1 - x : x) * su;
        const o = (y * width + x) * C;
        for (let c = 0; c < C; c++) out[o + c] = src[s + c];
      }
    }
  }

  const sign = (vec: Vec3, flip: boolean): Vec3 => (flip ? negate(vec) : vec);
  const right = sign(volume.direction[u], flipX);
  const down = sign(volume.direction[v], flipY);
  const toIndex = (x: number, y: number): Vec3 => {
    const idx: Vec3 = [0, 0, 0];
    idx[u] = flipX ? width - 1 - x : x;
    idx[v] = flipY ? height - 1 - y : y;
    idx[w] = index;
    return idx;
  };
  return {
    width,
    height,
    data: out,
    pixelSpacing: [volume.spacing[u], volume.spacing[v]],
    labels: {
      top: orientationLetters(negate(down)),
      bottom: orientationLetters(down),
      left: orientationLetters(negate(right)),
      right: orientationLetters(right)
    },
    index,
    count,
    toPatient: (x, y) => {
      const [i, j, k] = toIndex(x, y);
      return indexToPatient(volume, i, j, k);
    },
    toIndex,
    axis,
    frame,
    ...(volume.rgb ? { rgb: true } : {}),
    flipX,
    flipY,
    transposed: u > v
  };
}
