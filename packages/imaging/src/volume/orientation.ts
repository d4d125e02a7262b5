// Orientation letters of an LPS direction, after David Clunie's rule as Cornerstone/OHIF's
// getOrientationStringLPS apply it: one letter per patient axis the vector leans along, largest
// component first, so an oblique direction reads e.g. 'LA'. S/I (not H/F) for the z axis.
import type { Vec3 } from '../dicom/parse.js';

/** Components at or below this are treated as 0 (Cornerstone's MIN). */
const MIN = 0.0001;

/** Letters for `v` (LPS): 'L'/'R' for x, 'P'/'A' for y, 'S'/'I' for z; at most `maxLetters`. */
export function orientationLetters(v: readonly number[], maxLetters = 2): string {
  const letters = [v[0] < 0 ? 'R' : 'L', v[1] < 0 ? 'A' : 'P', v[2] < 0 ? 'I' : 'S'];
  const abs = [Math.abs(v[0]), Math.abs(v[1]), Math.abs(v[2])];
  const order = [0, 1, 2].filter(a => abs[a] > MIN).sort((a, b) => abs[b] - abs[a] || a - b);
  return order
    .slice(0, maxLetters)
    .map(a => letters[a])
    .join('');
}

export function negate(v: Vec3): Vec3 {
  return [-v[0], -v[1], -v[2]];
}
