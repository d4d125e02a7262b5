// The status bar's reading of the pixel under the cursor: "x 12 y 40 · 24 → HU -1000 · LPS -10.5,
// 20.0, 30.3 mm". It never carries PHI (values and coordinates only).
import type { Slice, Volume } from '@radlab/imaging';
import { formatNumber } from './windowing.js';

export interface ReadoutOptions {
  /** The real values are Hounsfield units (CT, or Rescale Type HU). */
  hu: boolean;
  /** NIfTI users read RAS (the format's own convention); DICOM users LPS. */
  coordinates: 'LPS' | 'RAS';
}

/** Pixel (x, y) of `slice`: its stored value (and the real one), and its patient position. */
export function describePixel(
  slice: Pick<Slice, 'width' | 'data' | 'toPatient'>,
  volume: Pick<Volume, 'rgb' | 'rescale'>,
  x: number,
  y: number,
  options: ReadoutOptions
): string {
  const parts = [`x ${x} y ${y}`];
  const i = y * slice.width + x;
  if (volume.rgb) {
    parts.push(`RGB ${slice.data[i * 3]} ${slice.data[i * 3 + 1]} ${slice.data[i * 3 + 2]}`);
  } else {
    const stored = Number(slice.data[i]);
    const { slope, intercept } = volume.rescale;
    const value = stored * slope + intercept;
    if (slope === 1 && intercept === 0 && !options.hu) parts.push(formatNumber(stored));
    else parts.push(`${formatNumber(stored)} → ${options.hu ? 'HU ' : ''}${formatNumber(value)}`);
  }
  const [px, py, pz] = slice.toPatient(x, y);
  const fmt = (n: number): string => (Math.abs(n) < 0.05 ? 0 : n).toFixed(1);
  parts.push(
    options.coordinates === 'RAS'
      ? `RAS ${fmt(-px)}, ${fmt(-py)}, ${fmt(pz)} mm`
      : `LPS ${fmt(px)}, ${fmt(py)}, ${fmt(pz)} mm`
  );
  return parts.join(' · ');
}
