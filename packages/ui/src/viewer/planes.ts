// The viewer's Axial / Coronal / Sagittal buttons name anatomical planes; @radlab/imaging's reslice
// names index planes (k, j, i fixed). Map each anatomical plane to the index plane whose fixed axis
// lies closest to its normal (NiiVue's reorientation to the nearest orthogonal axes), so a sagittal
// acquisition opens on "Sagittal". No resampling: oblique data shows in its own grid.
import {
  AXES,
  reslice,
  sliceCount,
  type Axis,
  type Slice,
  type Vec3,
  type Volume
} from '@radlab/imaging';

/** Patient (LPS) normal of each anatomical plane. */
const NORMALS: Record<Axis, Vec3> = {
  axial: [0, 0, 1],
  coronal: [0, 1, 0],
  sagittal: [1, 0, 0]
};

/** The index plane whose fixed axis is i, j, k (reslice's own names). */
const INDEX_PLANE: readonly Axis[] = ['sagittal', 'coronal', 'axial'];

const PERMUTATIONS: readonly (readonly [number, number, number])[] = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0]
];

const dot = (a: readonly number[], b: readonly number[]): number =>
  a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/**
 * Anatomical plane → index plane of `volume`: the one-to-one assignment of voxel axes to the
 * axial, coronal and sagittal normals that best matches the direction cosines.
 */
export function indexPlanes(volume: Pick<Volume, 'direction'>): Record<Axis, Axis> {
  let best = PERMUTATIONS[0];
  let score = -1;
  for (const p of PERMUTATIONS) {
    // p[n] is the voxel axis fixed for AXES[n].
    const s = AXES.reduce(
      (sum, a, n) => sum + Math.abs(dot(volume.direction[p[n]], NORMALS[a])),
      0
    );
    if (s > score + 1e-9) {
      best = p;
      score = s;
    }
  }
  return {
    axial: INDEX_PLANE[best[0]],
    coronal: INDEX_PLANE[best[1]],
    sagittal: INDEX_PLANE[best[2]]
  };
}

/** The anatomical plane the data was acquired in (the one whose index plane is k). */
export function acquisitionPlane(volume: Pick<Volume, 'direction'>): Axis {
  const planes = indexPlanes(volume);
  return AXES.find(a => planes[a] === 'axial') ?? 'axial';
}

export function planeCount(volume: Volume, plane: Axis): number {
  return sliceCount(volume, indexPlanes(volume)[plane]);
}

/**
 * Slice `index` of anatomical `plane`. DICOM keeps its stored orientation ('dicom'); NIfTI is
 * flipped to radiological display as NIfTI viewers do.
 */
export function planeSlice(
  volume: Volume,
  plane: Axis,
  index: number,
  frame: number,
  orient: 'dicom' | 'radiological'
): Slice {
  const axis = indexPlanes(volume)[plane];
  const count = sliceCount(volume, axis);
  const i = Math.min(count - 1, Math.max(0, Math.round(index)));
  const f = Math.min(volume.frames - 1, Math.max(0, Math.round(frame)));
  return reslice(volume, axis, i, f, { orient });
}

/** Whether two volumes of equal dims put their voxels at the same patient positions (±½ voxel). */
export function sameGrid(
  a: Pick<Volume, 'origin' | 'direction' | 'spacing'>,
  b: Pick<Volume, 'origin' | 'direction' | 'spacing'>
): boolean {
  const tolerance = 0.5 * Math.min(...b.spacing);
  const offset = Math.hypot(
    a.origin[0] - b.origin[0],
    a.origin[1] - b.origin[1],
    a.origin[2] - b.origin[2]
  );
  return (
    offset <= tolerance &&
    [0, 1, 2].every(
      n =>
        dot(a.direction[n], b.direction[n]) > 0.999 &&
        Math.abs(a.spacing[n] - b.spacing[n]) <= 0.01 * b.spacing[n]
    )
  );
}

const FIXED_AXIS: Record<Axis, 0 | 1 | 2> = { sagittal: 0, coronal: 1, axial: 2 };

/** The voxel axis (0 = i, 1 = j, 2 = k) that anatomical `plane`'s slice index counts along. */
export function planeAxis(volume: Pick<Volume, 'direction'>, plane: Axis): 0 | 1 | 2 {
  return FIXED_AXIS[indexPlanes(volume)[plane]];
}

/**
 * The pixel of `slice` that shows voxel `voxel` (it lies in the slice's plane), from the slice's own
 * index mapping, so flips and transposes of the display are taken into account.
 */
export function pixelOfVoxel(
  slice: Pick<Slice, 'toIndex' | 'width' | 'height'>,
  voxel: readonly number[]
): [number, number] {
  const o = slice.toIndex(0, 0);
  const dx = slice.toIndex(1, 0);
  const dy = slice.toIndex(0, 1);
  // each screen axis moves exactly one voxel axis by ±1
  const along = (d: Vec3): [number, number] => {
    const axis = [0, 1, 2].find(a => d[a] !== o[a]) ?? 0;
    return [axis, d[axis] - o[axis]];
  };
  const [ax, sx] = along(dx);
  const [ay, sy] = along(dy);
  // `+ 0`: no -0 from a flipped axis
  const x = slice.width > 1 ? (voxel[ax] - o[ax]) * sx + 0 : 0;
  const y = slice.height > 1 ? (voxel[ay] - o[ay]) * sy + 0 : 0;
  return [x, y];
}
