// Window/level maths for the viewer: presets, Cornerstone-style drag, and an automatic window from
// the data (NiiVue's robust range). Windows are in modality values (HU for CT), as in PS3.3 C.11.2.
import { windowFromRange, type VoiWindow } from '@radlab/imaging';

export interface WindowPreset {
  id: string;
  label: string;
  window: VoiWindow;
}

/** CT presets (OHIF's list, plus abdomen; bone as the issue asks). Width/centre in HU. */
export const CT_PRESETS: readonly WindowPreset[] = [
  { id: 'ct-soft', label: 'CT Soft tissue', window: { width: 400, center: 40 } },
  { id: 'ct-lung', label: 'CT Lung', window: { width: 1500, center: -600 } },
  { id: 'ct-bone', label: 'CT Bone', window: { width: 2000, center: 300 } },
  { id: 'ct-brain', label: 'CT Brain', window: { width: 80, center: 40 } },
  { id: 'ct-abdomen', label: 'CT Abdomen', window: { width: 400, center: 60 } },
  { id: 'ct-liver', label: 'CT Liver', window: { width: 150, center: 90 } }
];

/** Cornerstone3D's WindowLevelTool: 4 units per screen pixel, more for a wide dynamic range. */
export const DRAG_MULTIPLIER = 4;
const DYNAMIC_RANGE = 1024;

/**
 * Units of window per pixel of drag. Cornerstone uses 4 (or range/1024 when larger); below 1024
 * (8-bit, float maps in 0..1) 4 would be far too coarse, so the step shrinks with the range.
 */
export function dragMultiplier(range: number): number {
  if (!Number.isFinite(range) || range <= 0) return 1;
  if (range >= DYNAMIC_RANGE) return Math.max(DRAG_MULTIPLIER, Math.round(range / DYNAMIC_RANGE));
  return Math.max((DRAG_MULTIPLIER * range) / DYNAMIC_RANGE, range / 4096);
}

/**
 * A drag of (dx, dy) screen pixels: right widens the window, down raises the centre (the image gets
 * darker), as in Cornerstone and OHIF. The LINEAR width never goes below 1.
 */
export function dragWindow(
  start: VoiWindow,
  dx: number,
  dy: number,
  multiplier: number
): VoiWindow {
  const minWidth = start.fn === 'LINEAR' || start.fn === undefined ? 1 : multiplier / 4 || 1e-6;
  return {
    ...start,
    width: Math.max(minWidth, start.width + dx * multiplier),
    center: start.center + dy * multiplier
  };
}

/** Values at the given quantiles (0..1) of `data`, sampled to at most ~65k values. */
export function quantiles(
  data: ArrayLike<number>,
  qs: readonly number[],
  map: (v: number) => number = v => v
): number[] {
  const n = data.length;
  if (n === 0) return qs.map(() => 0);
  const step = Math.max(1, Math.floor(n / 65536));
  const sample: number[] = [];
  for (let i = 0; i < n; i += step) {
    const v = map(Number(data[i]));
    if (Number.isFinite(v)) sample.push(v);
  }
  if (sample.length === 0) return qs.map(() => 0);
  const sorted = Float64Array.from(sample).sort();
  return qs.map(
    q => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]
  );
}

/**
 * "Auto" window from the data: the 1st..99th percentile of the modality values (NiiVue uses a
 * robust range the same way), falling back to the full range when that is flat.
 */
export function autoWindow(
  data: ArrayLike<number>,
  rescale: { slope: number; intercept: number }
): VoiWindow {
  const map = (v: number): number => v * rescale.slope + rescale.intercept;
  let [lo, hi] = quantiles(data, [0.01, 0.99], map);
  if (!(hi > lo)) [lo, hi] = quantiles(data, [0, 1], map);
  if (!(hi > lo)) return { center: lo, width: 1, fn: 'LINEAR' };
  const integral = Number.isInteger(lo) && Number.isInteger(hi) && Math.abs(hi - lo) >= 16;
  if (integral) return windowFromRange(lo, hi);
  // Float data (or a narrow range): LINEAR_EXACT, whose width may be below 1.
  return { center: (lo + hi) / 2, width: hi - lo, fn: 'LINEAR_EXACT' };
}

/** "W 400 L 40" (integers when whole, else 3 significant decimals). */
export function formatWindow(w: VoiWindow): string {
  return `W ${formatNumber(w.width)} L ${formatNumber(w.center)}`;
}

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  if (abs >= 100) return v.toFixed(0);
  if (abs >= 1) return v.toFixed(2).replace(/\.?0+$/, '');
  return v
    .toPrecision(3)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '');
}
