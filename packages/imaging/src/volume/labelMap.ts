// Label maps (segmentations): telling one from an image, and a categorical colour table to draw it
// as an overlay. Label 0 is background (transparent).
import type { Volume } from './volume.js';

export interface LabelMapOptions {
  /** More distinct values than this is an image, not labels (default 256). */
  maxLabels?: number;
  /** The file declares labels (NIfTI intent NIFTI_INTENT_LABEL): only the value checks remain. */
  declared?: boolean;
}

/**
 * Distinct values of the volume in ascending order, or undefined as soon as there are more than
 * `limit` or a value is not a whole number. Stops early, so a CT volume answers fast.
 */
export function labelValues(volume: Volume, limit = 256): number[] | undefined {
  if (volume.rgb) return undefined;
  const d = volume.data;
  const seen = new Set<number>();
  let last = NaN;
  for (let p = 0; p < d.length; p++) {
    const v = d[p];
    if (v === last) continue;
    last = v;
    if (!Number.isInteger(v)) return undefined;
    if (!seen.has(v)) {
      seen.add(v);
      if (seen.size > limit) return undefined;
    }
  }
  return [...seen].sort((a, b) => a - b);
}

/**
 * Whether the volume looks like a label map: whole-number values with an identity-like rescale, few
 * distinct values (at most `maxLabels`) and, unless declared, at least one besides background.
 */
export function isLabelMap(volume: Volume, options: LabelMapOptions = {}): boolean {
  if (volume.rgb) return false;
  if (volume.rescale.slope !== 1 || !Number.isInteger(volume.rescale.intercept)) return false;
  const values = labelValues(volume, options.maxLabels ?? 256);
  if (!values) return false;
  if (options.declared) return true;
  // Labels repeat: few values over many voxels (a small ramp image has as many values as voxels).
  // A constant image is not a label map; a mask (0/1) is.
  return values.length >= 2 && values[0] >= 0 && values.length * 4 <= volume.data.length;
}

/** First colours as ITK-SNAP's default labels, then golden-angle hues. */
const BASE: [number, number, number][] = [
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
  [255, 255, 0],
  [0, 255, 255],
  [255, 0, 255],
  [255, 239, 213],
  [0, 0, 205],
  [205, 133, 63],
  [210, 180, 140],
  [102, 205, 170],
  [0, 0, 128]
];

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

/** RGB colour of label `label` (≥ 1); stable across calls and sessions. */
export function labelColor(label: number): [number, number, number] {
  const n = Math.abs(Math.trunc(label));
  if (n >= 1 && n <= BASE.length) return BASE[n - 1];
  const hue = (n * 137.508) % 360;
  return hslToRgb(hue, 0.75, n % 2 ? 0.5 : 0.62);
}

/**
 * RGBA table indexed by label value 0..maxLabel (4 bytes each): label 0 transparent, others
 * `labelColor` with `alpha` (0..255, default opaque; the view applies the overlay opacity).
 */
export function labelColorTable(maxLabel: number, alpha = 255): Uint8Array {
  const n = Math.max(0, Math.trunc(maxLabel)) + 1;
  const table = new Uint8Array(n * 4);
  for (let v = 1; v < n; v++) {
    const [r, g, b] = labelColor(v);
    table.set([r, g, b, alpha], v * 4);
  }
  return table;
}
