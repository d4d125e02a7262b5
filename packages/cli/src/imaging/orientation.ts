// Orientation as a radiologist reads it: for each voxel axis (i, j, k) the patient direction it
// points to (LPS letters: L, P, S for +x, +y, +z; R, A, I for the opposite), and the plane the slices
// lie in. NIfTI affines are RAS+; they are turned to LPS first so both formats print alike.
import type { Vec3 } from '@radlab/imaging';

const LETTERS: [string, string][] = [
  ['R', 'L'],
  ['A', 'P'],
  ['I', 'S']
];
const PLANES = ['sagittal', 'coronal', 'axial'];

function dominant(v: Vec3): number {
  const a = v.map(Math.abs);
  return a[0] >= a[1] && a[0] >= a[2] ? 0 : a[1] >= a[2] ? 1 : 2;
}

/** The patient direction (LPS letter) a vector points to most. */
export function directionLetter(v: Vec3): string {
  const axis = dominant(v);
  return LETTERS[axis][v[axis] >= 0 ? 1 : 0];
}

/** The plane of slices with this normal; oblique when no axis dominates clearly (> ~25°). */
export function planeOf(normal: Vec3): string {
  const length = Math.hypot(...normal) || 1;
  const axis = dominant(normal);
  const plane = PLANES[axis];
  return Math.abs(normal[axis]) / length >= 0.9 ? plane : `oblique (nearest ${plane})`;
}

export interface Orientation {
  /** e.g. "LPS": i points to the patient's left, j to posterior, k to superior. */
  axes: string;
  plane: string;
  /** Unit direction of i, j, k in LPS. */
  directions: [Vec3, Vec3, Vec3];
}

function unit(v: Vec3): Vec3 {
  const n = Math.hypot(...v) || 1;
  return [v[0] / n, v[1] / n, v[2] / n];
}

export function orientationOf(directions: [Vec3, Vec3, Vec3]): Orientation {
  const d = directions.map(unit) as [Vec3, Vec3, Vec3];
  return { axes: d.map(directionLetter).join(''), plane: planeOf(d[2]), directions: d };
}

/** Columns of a RAS+ affine's 3×3 part, as LPS directions. */
export function rasAffineDirections(affine: number[][]): [Vec3, Vec3, Vec3] {
  const column = (c: number): Vec3 => [-affine[0][c], -affine[1][c], affine[2][c]];
  return [column(0), column(1), column(2)];
}

/** Voxel sizes along i, j, k from the affine's column lengths (mm). */
export function affineSpacing(affine: number[][]): Vec3 {
  const n = (c: number): number => Math.hypot(affine[0][c], affine[1][c], affine[2][c]);
  return [n(0), n(1), n(2)];
}
