// A folder of DICOM files → series that can each become one volume: grouped by SeriesInstanceUID,
// keeping the files that share the series' majority size, pixel layout and orientation, and saying
// which files were left out and why (a localizer in the same series, a secondary capture, …).
import type { DicomImage } from '../dicom/parse.js';

export interface SeriesGroup<T> {
  seriesInstanceUID: string;
  modality?: string;
  files: T[];
  /** Frames over all files (the slice count for single-frame files). */
  frames: number;
  rows: number;
  columns: number;
}

export interface SkippedFile<T> {
  file: T;
  /** Human text, no PHI. */
  reason: string;
}

export interface SeriesGrouping<T> {
  /** Largest first (most frames); ties keep first-seen order. */
  groups: SeriesGroup<T>[];
  skipped: SkippedFile<T>[];
}

/** Direction cosines further apart than this (per component) are a different orientation. */
const ORIENTATION_TOLERANCE = 0.01;

function layoutKey(h: DicomImage): string {
  return `${h.columns}×${h.rows}|${h.samplesPerPixel}|${h.bitsAllocated}`;
}

function mostCommon<K>(keys: K[]): K {
  const counts = new Map<K, number>();
  let best = keys[0];
  let bestCount = 0;
  for (const k of keys) {
    const c = (counts.get(k) ?? 0) + 1;
    counts.set(k, c);
    if (c > bestCount) {
      best = k;
      bestCount = c;
    }
  }
  return best;
}

function layoutReason(h: DicomImage, ref: DicomImage): string {
  if (h.columns !== ref.columns || h.rows !== ref.rows)
    return `${h.columns}×${h.rows} pixels where the series is ${ref.columns}×${ref.rows}`;
  if (h.samplesPerPixel !== ref.samplesPerPixel)
    return `${h.samplesPerPixel} samples per pixel where the series has ${ref.samplesPerPixel}`;
  return `${h.bitsAllocated} bits allocated where the series has ${ref.bitsAllocated}`;
}

export function sameOrientation(
  a: readonly number[] | undefined,
  b: readonly number[] | undefined
): boolean {
  if (!a || !b) return true;
  for (let i = 0; i < 6; i++) if (Math.abs(a[i] - b[i]) > ORIENTATION_TOLERANCE) return false;
  return true;
}

function splitOne<T extends { header: DicomImage }>(
  uid: string,
  files: T[],
  skipped: SkippedFile<T>[]
): SeriesGroup<T> {
  const key = mostCommon(files.map(f => layoutKey(f.header)));
  const ref = files.find(f => layoutKey(f.header) === key)!.header;
  const sameLayout = files.filter(f => {
    if (layoutKey(f.header) === key) return true;
    skipped.push({ file: f, reason: layoutReason(f.header, ref) });
    return false;
  });
  const orientations = sameLayout
    .map(f => f.header.imageOrientationPatient)
    .filter((o): o is NonNullable<typeof o> => o !== undefined);
  const refIop = orientations.length
    ? mostCommon(orientations.map(o => o.map(v => v.toFixed(2)).join('\\')))
        .split('\\')
        .map(Number)
    : undefined;
  const kept = sameLayout.filter(f => {
    if (sameOrientation(f.header.imageOrientationPatient, refIop)) return true;
    skipped.push({
      file: f,
      reason: 'its orientation differs from the rest of the series (a localizer?)'
    });
    return false;
  });
  return {
    seriesInstanceUID: uid,
    modality: ref.modality,
    files: kept,
    frames: kept.reduce((n, f) => n + f.header.numberOfFrames, 0),
    rows: ref.rows,
    columns: ref.columns
  };
}

/** Group parsed files by SeriesInstanceUID (files without one form the series ''). */
export function groupSeries<T extends { header: DicomImage }>(
  files: readonly T[]
): SeriesGrouping<T> {
  const byUid = new Map<string, T[]>();
  for (const f of files) {
    const uid = f.header.seriesInstanceUID ?? '';
    const list = byUid.get(uid);
    if (list) list.push(f);
    else byUid.set(uid, [f]);
  }
  const skipped: SkippedFile<T>[] = [];
  const groups = [...byUid].map(([uid, list]) => splitOne(uid, list, skipped));
  groups.sort((a, b) => b.frames - a.frames);
  return { groups, skipped };
}
