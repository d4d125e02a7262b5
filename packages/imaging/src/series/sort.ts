// Group DICOM instances into series and order slices along the slice normal (row × column
// direction cosines), reporting gaps and uneven spacing (cf. NiiVue / dcm2niix slice checks).
import type { DicomImage, Vec3 } from '../dicom/parse.js';

export type SliceHeader = Pick<
  DicomImage,
  'seriesInstanceUID' | 'imagePositionPatient' | 'imageOrientationPatient' | 'instanceNumber'
>;

export interface SliceGap {
  /** Index in `slices` of the slice before the gap. */
  after: number;
  /** Distance found, and the nominal spacing it should have been. */
  distance: number;
  /** Estimated number of missing slices (0 for a distance that is merely uneven). */
  missing: number;
}

export interface SortedSeries<T> {
  seriesInstanceUID: string;
  slices: T[];
  /** Position of each slice along the normal, mm (empty when ordered by instance number). */
  positions: number[];
  orderedBy: 'position' | 'instanceNumber';
  /** Median distance between neighbouring slices, mm (0 with fewer than 2 positioned slices). */
  spacing: number;
  gaps: SliceGap[];
  /** Neighbour distances that are neither the spacing nor a whole multiple of it. */
  uneven: SliceGap[];
  /** Slices sharing a position (multi-echo, duplicates). */
  duplicates: number;
  normal?: Vec3;
}

/** Slices closer than this along the normal (mm) share a position (duplicates, echoes, phases). */
export const SAME_POSITION_MM = 0.01;

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function sliceNormal(iop: readonly number[]): Vec3 {
  return cross([iop[0], iop[1], iop[2]], [iop[3], iop[4], iop[5]]);
}

function median(values: number[]): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface SortOptions {
  /** Relative tolerance for "same spacing" (default 0.05 = 5%). */
  tolerance?: number;
}

function sortOne<T extends SliceHeader>(
  uid: string,
  items: T[],
  options: SortOptions
): SortedSeries<T> {
  const tol = options.tolerance ?? 0.05;
  const ref = items.find(i => i.imageOrientationPatient)?.imageOrientationPatient;
  const positioned = ref !== undefined && items.every(i => i.imagePositionPatient);
  if (!positioned) {
    const slices = [...items].sort((a, b) => (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0));
    return {
      seriesInstanceUID: uid,
      slices,
      positions: [],
      orderedBy: 'instanceNumber',
      spacing: 0,
      gaps: [],
      uneven: [],
      duplicates: 0
    };
  }
  const normal = sliceNormal(ref);
  const keyed = items.map(item => {
    const p = item.imagePositionPatient as Vec3;
    return { item, d: p[0] * normal[0] + p[1] * normal[1] + p[2] * normal[2] };
  });
  keyed.sort((a, b) => a.d - b.d || (a.item.instanceNumber ?? 0) - (b.item.instanceNumber ?? 0));
  const positions = keyed.map(k => k.d);
  const diffs: number[] = [];
  let duplicates = 0;
  for (let i = 1; i < positions.length; i++) {
    const d = positions[i] - positions[i - 1];
    if (d < SAME_POSITION_MM) duplicates++;
    diffs.push(d);
  }
  const spacing = median(diffs.filter(d => d >= SAME_POSITION_MM));
  const gaps: SliceGap[] = [];
  const uneven: SliceGap[] = [];
  if (spacing > 0) {
    diffs.forEach((d, i) => {
      if (d < SAME_POSITION_MM || Math.abs(d - spacing) <= tol * spacing) return;
      const ratio = d / spacing;
      const whole = Math.round(ratio);
      if (whole >= 2 && Math.abs(ratio - whole) <= tol)
        gaps.push({ after: i, distance: d, missing: whole - 1 });
      else uneven.push({ after: i, distance: d, missing: 0 });
    });
  }
  return {
    seriesInstanceUID: uid,
    slices: keyed.map(k => k.item),
    positions,
    orderedBy: 'position',
    spacing,
    gaps,
    uneven,
    duplicates,
    normal
  };
}

/** Group by SeriesInstanceUID (in first-seen order) and order each series' slices. */
export function sortSeries<T extends SliceHeader>(
  items: readonly T[],
  options: SortOptions = {}
): SortedSeries<T>[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const uid = item.seriesInstanceUID ?? '';
    const list = groups.get(uid);
    if (list) list.push(item);
    else groups.set(uid, [item]);
  }
  return [...groups].map(([uid, list]) => sortOne(uid, list, options));
}
