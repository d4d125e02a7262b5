// VOI LUT: modality values → display values, PS3.3 C.11.2.1.2 (LINEAR, LINEAR_EXACT, SIGMOID),
// or through a VOI LUT Sequence table (C.11.2.1.1).
import type { DicomImage } from '../dicom/parse.js';
import { ImagingError } from '../errors.js';
import { modalityValue, type Rescale } from './modality.js';
import { lookup, lutMax, type LookupTable } from './table.js';

export type VoiFunction = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

export interface VoiWindow {
  center: number;
  width: number;
  fn?: VoiFunction;
  /** Window Center & Width Explanation, when the file names it. */
  explanation?: string;
}

/** A VOI LUT Sequence table used in place of a window. */
export interface VoiLut {
  lut: LookupTable;
}

/** A VOI LUT table's output scaled to yMin..yMax (its range is 0 .. 2^bits - 1). */
export function voiLutValue(x: number, table: LookupTable, yMin = 0, yMax = 255): number {
  return (lookup(table, x) / lutMax(table)) * (yMax - yMin) + yMin;
}

/** The file's VOI LUT Sequence tables as VOI choices (the windows come first by convention). */
export function headerVoiLuts(h: Pick<DicomImage, 'voiLuts'>): VoiLut[] {
  return (h.voiLuts ?? []).map(lut => ({ lut }));
}

export function voiValue(x: number, w: VoiWindow, yMin = 0, yMax = 255): number {
  const { center: c, width } = w;
  const fn = w.fn ?? 'LINEAR';
  const range = yMax - yMin;
  if (fn === 'SIGMOID') {
    if (width <= 0)
      throw new ImagingError({ code: 'malformed', message: 'SIGMOID window width must be > 0.' });
    return range / (1 + Math.exp((-4 * (x - c)) / width)) + yMin;
  }
  if (fn === 'LINEAR_EXACT') {
    if (width <= 0)
      throw new ImagingError({
        code: 'malformed',
        message: 'LINEAR_EXACT window width must be > 0.'
      });
    if (x <= c - width / 2) return yMin;
    if (x > c + width / 2) return yMax;
    return ((x - c) / width + 0.5) * range + yMin;
  }
  if (width < 1)
    throw new ImagingError({ code: 'malformed', message: 'LINEAR window width must be >= 1.' });
  if (width === 1) return x <= c - 0.5 ? yMin : yMax;
  if (x <= c - 0.5 - (width - 1) / 2) return yMin;
  if (x > c - 0.5 + (width - 1) / 2) return yMax;
  return ((x - (c - 0.5)) / (width - 1) + 0.5) * range + yMin;
}

/** The file's windows (all of them; the first is the default), with its VOI LUT Function. */
export function headerWindows(
  h: Pick<DicomImage, 'windowCenters' | 'windowWidths' | 'voiLutFunction'> &
    Partial<Pick<DicomImage, 'windowExplanations'>>
): VoiWindow[] {
  const fnName = h.voiLutFunction?.trim().toUpperCase();
  const fn: VoiFunction = fnName === 'SIGMOID' || fnName === 'LINEAR_EXACT' ? fnName : 'LINEAR';
  const n = Math.min(h.windowCenters.length, h.windowWidths.length);
  const out: VoiWindow[] = [];
  for (let i = 0; i < n; i++) {
    const w: VoiWindow = { center: h.windowCenters[i], width: h.windowWidths[i], fn };
    const explanation = h.windowExplanations?.[i];
    if (explanation) w.explanation = explanation;
    out.push(w);
  }
  return out;
}

/** Full-range window from the data when the file has none. */
export function windowFromRange(min: number, max: number): VoiWindow {
  return { center: (max + min) / 2 + 0.5, width: Math.max(1, max - min + 1), fn: 'LINEAR' };
}

/**
 * Stored values → 8-bit display values through the modality LUT (rescale or table), then a window
 * or a VOI LUT table, inverted for MONOCHROME1. Values are computed once per distinct stored
 * value for integer data up to 16 bits.
 */
export function renderGrey8(
  stored: ArrayLike<number> & { length: number },
  rescale: Rescale,
  window: VoiWindow | VoiLut,
  options: { invert?: boolean; out?: Uint8Array } = {}
): Uint8Array {
  const out = options.out ?? new Uint8Array(stored.length);
  const invert = options.invert === true;
  const voi =
    'lut' in window
      ? (x: number) => voiLutValue(x, window.lut)
      : (x: number) => voiValue(x, window);
  const map = (v: number): number => {
    const y = Math.round(voi(modalityValue(v, rescale)));
    return invert ? 255 - y : y;
  };
  if (
    stored instanceof Uint8Array ||
    stored instanceof Int8Array ||
    stored instanceof Uint16Array ||
    stored instanceof Int16Array
  ) {
    const offset = stored instanceof Int16Array ? 32768 : stored instanceof Int8Array ? 128 : 0;
    const lut = new Int16Array(
      stored instanceof Uint8Array || stored instanceof Int8Array ? 256 : 65536
    ).fill(-1);
    for (let i = 0; i < stored.length; i++) {
      const v = stored[i];
      let y = lut[v + offset];
      if (y < 0) {
        y = map(v);
        lut[v + offset] = y;
      }
      out[i] = y;
    }
    return out;
  }
  for (let i = 0; i < stored.length; i++) out[i] = map(stored[i]);
  return out;
}
