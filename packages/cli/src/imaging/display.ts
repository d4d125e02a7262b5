// A resliced plane turned to the radiological display convention whatever the storage order:
// axial with anterior up and the patient's right on the left, coronal with superior up and right on
// the left, sagittal with superior up and anterior on the left. reslice() flips rows and columns but
// never swaps them, so a volume stored with i along A/P (common in NIfTI) needs the transpose here.
import { orientationLetters, type Slice, type Vec3 } from '@radlab/imaging';
import type { SliceAxis } from './slice.js';

/** Screen right and screen down as LPS directions, per plane. */
const SCREEN: Record<SliceAxis, [Vec3, Vec3]> = {
  axial: [
    [1, 0, 0],
    [0, 1, 0]
  ],
  coronal: [
    [1, 0, 0],
    [0, 0, -1]
  ],
  sagittal: [
    [0, 1, 0],
    [0, 0, -1]
  ]
};

export interface DisplaySlice {
  width: number;
  height: number;
  data: Slice['data'];
  /** mm per column, per row. */
  pixelSpacing: [number, number];
  labels: Slice['labels'];
}

const dot = (a: Vec3, b: Vec3): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const neg = (v: Vec3): Vec3 => [-v[0], -v[1], -v[2]];

function step(slice: Slice, dx: number, dy: number): Vec3 {
  const o = slice.toPatient(0, 0);
  const p = slice.toPatient(dx, dy);
  const d: Vec3 = [p[0] - o[0], p[1] - o[1], p[2] - o[2]];
  const n = Math.hypot(...d) || 1;
  return [d[0] / n, d[1] / n, d[2] / n];
}

export function toDisplay(slice: Slice, axis: SliceAxis, components: number): DisplaySlice {
  const [screenRight, screenDown] = SCREEN[axis];
  let right = step(slice, 1, 0);
  let down = step(slice, 0, 1);
  const transpose = Math.abs(dot(down, screenRight)) > Math.abs(dot(right, screenRight));
  if (transpose) [right, down] = [down, right];
  const flipX = dot(right, screenRight) < 0;
  const flipY = dot(down, screenDown) < 0;
  if (flipX) right = neg(right);
  if (flipY) down = neg(down);
  const labels = {
    top: orientationLetters(neg(down)),
    bottom: orientationLetters(down),
    left: orientationLetters(neg(right)),
    right: orientationLetters(right)
  };
  const [w, h] = [slice.width, slice.height];
  const [pw, ph] = slice.pixelSpacing;
  if (!transpose && !flipX && !flipY) {
    return { width: w, height: h, data: slice.data, pixelSpacing: [pw, ph], labels };
  }
  const width = transpose ? h : w;
  const height = transpose ? w : h;
  const src = slice.data;
  const out = new (src.constructor as new (n: number) => Slice['data'])(src.length);
  const C = components;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = flipX ? width - 1 - x : x;
      const dy = flipY ? height - 1 - y : y;
      // (dx, dy) in the transposed-or-not frame → (sx, sy) in the source slice.
      const [sx, sy] = transpose ? [dy, dx] : [dx, dy];
      const s = (sy * w + sx) * C;
      const o = (y * width + x) * C;
      for (let c = 0; c < C; c++) out[o + c] = src[s + c];
    }
  }
  return { width, height, data: out, pixelSpacing: transpose ? [ph, pw] : [pw, ph], labels };
}
